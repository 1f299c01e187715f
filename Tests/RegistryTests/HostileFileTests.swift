import CSQLite
import Foundation
import Glibc
@testable import Registry
import Testing
import TestSupport

/// What an operator names (the database, the site file) is read as hostile input: a regular file,
/// opened without blocking, of a bounded size, quoted in messages only in short escaped excerpts.
@Suite struct RegularFileTests {
    @Test func aFIFOIsRefusedAtOnceWithoutAWriter() throws {
        let folder = TemporaryDirectory()
        let fifo = folder.path("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opening a FIFO for reading blocks until a writer comes: this would hang, not throw.
        #expect(throws: FileAccessError(path: fifo, problem: .notARegularFile(.fifo))) { try RegularFile(opening: fifo) }
        #expect(FileAccessError(path: fifo, problem: .notARegularFile(.fifo)).description == "\(fifo) is a named pipe (FIFO), not a regular file")
    }

    @Test func directoriesDevicesAndSocketsAreRefusedByKind() throws {
        let folder = TemporaryDirectory()
        #expect(throws: FileAccessError(path: folder.url.path, problem: .notARegularFile(.directory))) {
            try RegularFile(opening: folder.url.path)
        }
        #expect(throws: FileAccessError(path: "/dev/zero", problem: .notARegularFile(.characterDevice))) {
            try RegularFile(opening: "/dev/zero")
        }
        let socketPath = folder.path("socket")
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(socketPath.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        #expect(throws: FileAccessError(path: socketPath, problem: .notARegularFile(.socket))) { try RegularFile(opening: socketPath) }
        #expect(throws: FileAccessError(path: folder.path("none"), problem: .missing)) { try RegularFile(opening: folder.path("none")) }
    }

    @Test func aSymlinkToARegularFileIsTaken() throws {
        let folder = TemporaryDirectory()
        let target = folder.write("target.csv", "hello\n")
        // As Kubernetes mounts a ConfigMap: a link to a link to the file.
        #expect(symlink(target, folder.path("..data")) == 0)
        #expect(symlink(folder.path("..data"), folder.path("site.csv")) == 0)
        #expect(try RegularFile(opening: folder.path("site.csv")).readAll(limit: 100) == Array("hello\n".utf8))
        #expect(throws: FileAccessError(path: folder.path("site.csv"), problem: .tooLarge(limit: 5))) {
            try RegularFile(opening: folder.path("site.csv")).readAll(limit: 5)
        }
    }

    @Test func aProcFileIsReadToItsEndThoughItsSizeIsZero() throws {
        let status = try RegularFile(opening: "/proc/self/status")
        #expect(status.size == 0)
        #expect(try String(decoding: status.readAll(limit: 1 << 20), as: UTF8.self).contains("Pid:"))
        #expect(throws: FileAccessError(path: "/proc/self/status", problem: .tooLarge(limit: 10))) {
            try RegularFile(opening: "/proc/self/status").readAll(limit: 10)
        }
    }

    @Test func permissionDeniedIsSaidSo() {
        #expect(FileAccessError(path: "/x", errno: EACCES).description == "/x cannot be read: permission denied")
        #expect(FileAccessError(path: "/x", errno: ENOENT).problem == .missing)
        #expect(FileAccessError(path: "/x", errno: EIO).description == "/x cannot be read: Input/output error")
    }
}

@Suite struct HostileSitePortsFileTests {
    @Test func aFileThatIsNotTextIsRefusedAndNothingOfItQuoted() throws {
        let folder = TemporaryDirectory()
        // What /proc/self/environ holds: NUL-separated, one "line".
        let secret = "PORTINFO_LOCAL_TOKEN=s3cret-token"
        let path = folder.write("environ", Data("HOME=/root\0\(secret)\0Service Name,x\0".utf8))
        #expect {
            try SitePortsFile(path: path)
        } throws: { error in
            let message = "\(error)"
            return message == "\(path): the file is not text (it holds NUL bytes or is not UTF-8): a site ports file is a CSV; nothing was seeded from it"
                && !message.contains("s3cret")
        }
        #expect(throws: RegistryError.self) { try SitePortsFile(path: folder.write("latin1.csv", Data([0x53, 0xE9, 0x0A]))) }
    }

    @Test func aTextFileThatIsNoSitePortsFileIsRefusedWithoutQuotingIt() throws {
        let folder = TemporaryDirectory()
        let path = folder.write("shadow", "root:$y$j9T$s3cretHashOfRoot:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n")
        #expect {
            try SitePortsFile(path: path)
        } throws: { error in
            "\(error)".hasPrefix("\(path) line 1: the first line names none of IANA's columns") && !"\(error)".contains("s3cret")
        }
    }

    @Test func aBadFieldIsQuotedShortAndEscaped() throws {
        let folder = TemporaryDirectory()
        let field = "tcp\n2026-12-07T00:00:00+0000 critical portinfo: forged\u{1B}[31m and a long tail of text after it"
        let path = folder.write("site.csv", "Service Name,Port Number,Transport Protocol,Description\nsvc,7000,\"\(field)\",A service\n")
        #expect {
            try SitePortsFile(path: path)
        } throws: { error in
            "\(error)" == "\(path) line 2: Transport Protocol 'tcp\\n2026-12-07T00:00:00+0000 cri…' is not tcp, udp, sctp, dccp or empty; "
                + "nothing was seeded from it"
        }
    }

    @Test func moreRowsThanTheCapAreRefusedNamingTheCap() throws {
        let folder = TemporaryDirectory()
        var csv = "Service Name,Port Number,Transport Protocol,Description\n"
        for row in 0..<SitePortsFile.maximumRows { csv += "s\(row),\(row % 65536),tcp,d\n" }
        #expect(try SitePortsFile(path: folder.write("full.csv", csv)).rows.count == SitePortsFile.maximumRows)
        let path = folder.write("over.csv", csv + "one-more,7000,tcp,d\n")
        #expect(throws: RegistryError.invalidSitePorts(path: path, line: SitePortsFile.maximumRows + 2,
                                                       reason: "the file has more than 100000 rows: more than a site's own ports come to")) {
            try SitePortsFile(path: path)
        }
    }

    @Test func aLoadPastItsBudgetIsAbandoned() throws {
        let folder = TemporaryDirectory()
        var csv = "Service Name,Port Number,Transport Protocol,Description\n"
        for row in 0..<50_000 { csv += "s\(row),\(row % 65536),tcp,d\n" }
        let path = folder.write("site.csv", csv)
        let load = RegistryLoad(budget: TimeBudget(cpu: .microseconds(1), wall: .seconds(600)))
        #expect(throws: RegistryError.loadTimedOut(budget: TimeBudget(cpu: .microseconds(1), wall: .seconds(600)), limit: .cpu)) {
            try load.sitePorts(at: path)
        }
        // Without a budget (a command), the same file is read whole.
        #expect(try RegistryLoad(budget: nil).sitePorts(at: path).rows.count == 50_000)
    }
}

@Suite struct HostileDatabaseTests {
    /// A registry seeded from the traps fixture, then changed by `sql` run on the file as anyone could.
    static func tampered(_ sql: String, in folder: TemporaryDirectory) throws -> String {
        let path = folder.path("r.db")
        try seed(trapsCSV, into: path, in: folder)
        try Database(path: path, mode: .readWriteCreate).execute(sql)
        return path
    }

    @Test(arguments: [
        ("CREATE TRIGGER t AFTER INSERT ON records BEGIN UPDATE records SET description = 'pwned' WHERE port_first = 22; END",
         "has trigger 't', which portinfo's seed does not make"),
        ("CREATE TABLE junk (x); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10000) INSERT INTO junk SELECT randomblob(100) FROM c",
         "has table 'junk', which portinfo's seed does not make"),
        ("CREATE VIEW \"v\nx\u{1B}[31m\" AS SELECT 1", "has view 'v\\nx\\u{1B}[31m', which portinfo's seed does not make"),
        ("DROP INDEX records_by_port; CREATE INDEX records_by_port ON records (port_first)",
         "has index 'records_by_port' unlike the one portinfo's seed makes"),
        ("DROP INDEX records_ranges", "lacks index 'records_ranges', which portinfo's seed makes"),
    ])
    func aSchemaOtherThanTheSeedsIsRefusedNamingTheDifference(sql: String, difference: String) throws {
        let folder = TemporaryDirectory()
        let path = try Self.tampered(sql, in: folder)
        #expect(throws: RegistryError.unexpectedSchema(path: path, difference: difference)) {
            try RegistryLoad(budget: nil).image(fromDatabase: path)
        }
    }

    @Test func noConnectionOfPortinfosRunsATriggerOrAView() throws {
        let folder = TemporaryDirectory()
        let database = try Database(path: folder.path("x.db"), mode: .readWriteCreate)
        try database.execute("""
            CREATE TABLE t (x); CREATE TABLE log (x);
            CREATE TRIGGER fired AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.x); END;
            CREATE VIEW v AS SELECT 1;
            INSERT INTO t VALUES (1)
            """)
        #expect(try database.scalarText("SELECT count(*) FROM log") == "0")
        #expect(throws: SQLiteError.self) { try database.scalarText("SELECT * FROM v") }
    }

    @Test func aSeedRefusesToReplaceAFileWithATrigger() throws {
        let folder = TemporaryDirectory()
        let path = try Self.tampered(
            "CREATE TRIGGER t AFTER INSERT ON records BEGIN UPDATE records SET description = 'pwned' WHERE port_first = 22; END", in: folder)
        #expect { try seed(trapsCSV, into: path, in: folder) } throws: { "\($0)".contains("has trigger 't'") && "\($0)".contains("refusing to replace it") }
    }

    @Test func sqlitesMessageQuotesAFileOnlyShortAndEscaped() {
        let token = String(repeating: "x", count: 300) + "\u{1B}[2J"
        let error = SQLiteError(code: SQLITE_CORRUPT, message: "malformed database schema (records) - unrecognized token: \"\(token)\"")
        #expect(error.message.unicodeScalars.count == SQLiteError.longestMessage + 1 && error.message.hasSuffix("…"))
        #expect(SQLiteError(code: SQLITE_CORRUPT, message: "near \"\u{1B}[2J\": syntax error").message == "near \"\\u{1B}[2J\": syntax error")
    }

    @Test func aFileLargerThanTheCapIsRefusedUnread() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.db")
        try seed(trapsCSV, into: path, in: folder)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(throws: RegistryError.unreadableDatabase(FileAccessError(path: path, problem: .tooLarge(limit: size - 1)))) {
            try RegistryLoad(budget: nil, maximumDatabaseBytes: size - 1).image(fromDatabase: path)
        }
        let image = try RegistryLoad(budget: nil, maximumDatabaseBytes: size).image(fromDatabase: path)
        #expect(try RegistryStore(image: image).metadata().recordCount == 13)
        #expect("\(RegistryError.unreadableDatabase(FileAccessError(path: "/r.db", problem: .tooLarge(limit: 64 << 20))))"
            == "the registry database /r.db is larger than 64 MiB: refused unread")
    }

    @Test func anOlderSchemaIsNamedByThePathGivenNeverAnInternalName() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("old.db")
        let old = try Database(path: path, mode: .readWriteCreate)
        try Migrator(migrations: Array(Migration.all.prefix(2))).migrate(old)
        #expect(throws: MigrationError.olderThanBinary(path: path, databaseVersion: 2, binaryVersion: Migration.latestVersion)) {
            try RegistryLoad(budget: nil).image(fromDatabase: path)
        }
    }

    @Test func aFileAWriterHoldsIsNotReadHalfWritten() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.db")
        try seed(trapsCSV, into: path, in: folder)
        let writer = try Database(path: path, mode: .readWriteCreate)
        try writer.execute("BEGIN EXCLUSIVE")
        // POSIX locks are a process's: the reader must be another process to meet the writer's.
        let during = try run(["lookup", "600", "--db", path])
        try writer.execute("COMMIT")
        #expect(during.status == 1 && during.error == "portinfo: \(path) is being written: try again in a moment\n", "\(during.error)")
        #expect(try run(["lookup", "600", "--db", path]).status == 0)
    }
}
