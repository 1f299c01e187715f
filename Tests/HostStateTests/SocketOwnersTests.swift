import CLinux
import Glibc
@testable import HostState
import TestSupport
import Testing

/// A real `sleep` process holding sockets at descriptor numbers of a test's choosing, killed when released.
final class SocketHolder {
    let pid: pid_t

    /// `sockets` are the child's descriptor numbers and the descriptors of this process copied
    /// there, in order: a later copy may overwrite the number an earlier one was copied from.
    init?(sockets: [(childNumber: Int32, descriptor: Int32)]) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (childNumber, descriptor) in sockets { posix_spawn_file_actions_adddup2(&actions, descriptor, childNumber) }
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("60"), nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sleep", &actions, nil, arguments, environ) == 0 else { return nil }
        self.pid = pid
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

/// Owners found in the host's /proc, through a reading as a scan makes it.
@Suite(.enabled(if: hostHasProcNet, "needs Linux's /proc"))
struct SocketOwnersTests {
    static let probedDescriptors: Int32 = 300
    static let pastTheHoles: Int32 = 700

    @Test func aProcessWithManyDescriptorsAndHolesIsSearchedToTheEnd() throws {
        // The child holds `shared` at 3..<300, read by number, and `own` alone at 700, past more
        // holes than are probed, found by listing its folder. This process holds `shared` too,
        // and its lower pid wins.
        let shared = try #require(LoopbackSocket(.tcp, .ipv4), "cannot bind 127.0.0.1")
        let own = try #require(LoopbackSocket(.udp, .ipv4), "cannot bind 127.0.0.1")
        let layout = [(Self.pastTheHoles, own.descriptor)] + (3..<Self.probedDescriptors).map { ($0, shared.descriptor) }
        let holder = try #require(SocketHolder(sockets: layout))
        #expect(eventually {
            var status = stat()
            return stat("/proc/\(holder.pid)/fd/\(Self.pastTheHoles)", &status) == 0
        })
        own.closeSocket()
        for reading in [try hostReading(SockDiagReader()), try hostReading(SockDiagReader(netlinkProtocol: MAX_LINKS))] {
            let listed = own.isListed(in: reading.listeners)
            #expect(listed?.pid == Int(holder.pid), "\(reading.source)")
            #expect(listed?.process == "sleep")
            #expect(shared.isListed(in: reading.listeners)?.pid == Int(getpid()))
        }
    }

    @Test func onlyTheInodesAskedForAreAnswered() throws {
        let socket = try #require(LoopbackSocket(.tcp, .ipv4), "cannot bind 127.0.0.1")
        let inode = try #require(socket.inode)
        let owners = SocketOwners.find([inode, UInt64(UInt32.max) + 1], procRoot: "/proc")
        #expect(owners == [inode: SocketOwner(pid: Int(getpid()), process: try ownProcessName())])
        #expect(SocketOwners.find([], procRoot: "/proc").isEmpty)
    }
}
