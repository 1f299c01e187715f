@testable import HostState
import Testing

struct PasswdUsersTests {
    @Test func namesByUidAndTheUidWhenUnknown() {
        let users = PasswdUsers(passwd: Array("""
        root:x:0:0:root:/root:/bin/bash
        # a comment:x:5:5
        postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash
        +nisuser:x:102:102::/:/bin/sh
        toor:x:0:0:second root:/root:/bin/sh
        broken:x:notanumber:1::/:/bin/sh
        short:x

        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
        """.utf8))
        #expect(users.user(uid: 0) == "root")
        #expect(users.user(uid: 101) == "postgres")
        #expect(users.user(uid: 65534) == "nobody")
        #expect(users.user(uid: 102) == "102")
        #expect(users.user(uid: 5) == "5")
        #expect(users.user(uid: 1000) == "1000")
    }

    @Test func anUnreadableFileNamesNobody() {
        #expect(PasswdUsers(path: "/nonexistent/passwd").user(uid: 0) == "0")
    }
}
