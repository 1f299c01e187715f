import Foundation
import Glibc
import Registry
import Testing
import TestSupport

/// A running server against files made to hurt it: each is refused without blocking the watcher,
/// with a true reason on /healthz and in the log, nothing of the file in the log, and the registry
/// held served on until a sound one is back.
@Suite struct HostileFilesServeTests {
    static let degraded = #"{"status":"degraded","reason":""#

    /// `target` renamed over `path`, as a seed or an attacker replaces a file.
    static func replace(_ path: String, with target: String) {
        #expect(rename(target, path) == 0)
    }

    @Test func aFIFORenamedOverTheDatabaseBlocksNothingAndASoundDatabaseIsTakenAfterIt() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let server = try ServerProcess(["--db", database, "--access-log", "off"])
        #expect(mkfifo(folder.path("fifo"), 0o600) == 0)
        Self.replace(database, with: folder.path("fifo"))
        #expect(try waitUntil {
            try server.get("/healthz").body.hasPrefix(Self.degraded + "the database file is a named pipe (FIFO), not a regular file: serving the registry loaded before")
        })
        // The watcher is not stuck in open(): SIGHUP is answered, and a sound database is taken.
        kill(server.process.processIdentifier, SIGHUP)
        #expect(try run(["seed", "--csv", folder.write("edited.csv", RegistryReloadTests.editedCSV), "--db", folder.path("next.db")]).status == 0)
        Self.replace(database, with: folder.path("next.db"))
        #expect(try waitUntil { try server.get("/healthz").body == #"{"status":"ok"}"# + "\n" })
        #expect(try server.get("/ports/7000").body.contains("newsvc"))
        let log = server.stop().log
        #expect(log.contains("SIGHUP: checking the registry database"))
        #expect(log.contains("not switching registries: \(database) is a named pipe (FIFO), not a regular file; the registry held is served still"))
    }

    @Test(arguments: [("--site-ports", "fifo", "a named pipe (FIFO), not a regular file"), ("--db", "/dev/zero", "a character device, not a regular file"),
                      ("--db", "folder", "a directory, not a regular file"), ("--site-ports", "folder", "a directory, not a regular file")])
    func aFileThatIsNotRegularIsRefusedAtStartWithoutHanging(option: String, file: String, kind: String) throws {
        let folder = try seededFolder()
        #expect(mkfifo(folder.path("fifo"), 0o600) == 0)
        let path = switch file {
        case "fifo": folder.path("fifo")
        case "folder": folder.url.path
        default: file
        }
        let arguments = option == "--db" ? ["--db", path] : ["--db", folder.path("registry.db"), option, path]
        let result = try run(["serve", "--host", "127.0.0.1", "--port", "0"] + arguments, timeout: 30)
        #expect(result.status == 1, "\(result.error)")
        #expect(result.error.contains("\(path)") && result.error.contains(kind), "\(result.error)")
    }

    @Test func aSiteFileLinkedToTheServersEnvironmentPutsNoneOfItInTheLog() throws {
        let folder = try seededFolder()
        let secret = "s3cret-\(UUID().uuidString)"
        let site = folder.write("site.csv", "Service Name,Port Number,Transport Protocol,Description\nbilling-api,7000,tcp,Billing\n")
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--site-ports", site, "--access-log", "off"],
                                       environment: ["SECRET_TOKEN": secret])
        #expect(unlink(site) == 0 && symlink("/proc/\(server.process.processIdentifier)/environ", site) == 0)
        #expect(try waitUntil { try server.get("/healthz").body.hasPrefix(Self.degraded + "the site ports file cannot be read: serving") })
        #expect(try server.get("/ports/7000").body.contains("billing-api"), "the last good site file is served still")
        let log = server.stop().log
        #expect(log.contains("not switching registries: \(site): the file is not text (it holds NUL bytes or is not UTF-8)"), "\(log)")
        #expect(!log.contains(secret) && !log.contains("SECRET_TOKEN"))
        // The same at start: refused, and nothing of the file said.
        let start = try run(["serve", "--host", "127.0.0.1", "--port", "0", "--db", folder.path("registry.db"), "--site-ports",
                             "/proc/self/environ"], environment: ["SECRET_TOKEN": secret], timeout: 30)
        #expect(start.status == 1 && !start.error.contains(secret) && start.error.contains("the file is not text"), "\(start.error)")
    }

    @Test func aSiteRowCannotForgeALogLineNorDriveTheTerminal() throws {
        let folder = try seededFolder()
        let forged = "2026-01-01T00:00:00+0000 critical portinfo: [portinfo] forged"
        let site = folder.write("site.csv", """
            Service Name,Port Number,Transport Protocol,Description
            "wiki\n\(forged)\u{1B}[2J",600,tcp,Reuses 600

            """)
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--site-ports", site, "--access-log", "off"])
        let log = server.startupLog + server.stop().log
        let clash = try #require(log.split(separator: "\n").first { $0.contains("claims a port IANA assigns to ipcserver") })
        #expect(clash.contains("site ports: line 2: wiki\\n\(forged)\\u{1B}[2J 600/tcp claims"), "\(clash)")
        #expect(!log.split(separator: "\n").contains { $0.hasPrefix("2026-01-01") })
        #expect(!log.utf8.contains(0x1B))
        // The seed's report of the clash too.
        let seed = try run(["seed", "--csv", folder.path("traps.csv"), "--site-ports", site, "--db", folder.path("other.db")])
        #expect(seed.status == 0 && !seed.output.utf8.contains(0x1B) && !seed.output.split(separator: "\n").contains { $0.hasPrefix("2026-01-01") })
    }

    @Test func aDatabaseWithATriggerIsRefusedAndTheTriggerNeverRuns() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let site = folder.write("site.csv", "Service Name,Port Number,Transport Protocol,Description\nbilling-api,7000,tcp,Billing\n")
        let server = try ServerProcess(["--db", database, "--site-ports", site, "--access-log", "off"])
        let before = try server.get("/ports/21").body
        // A copy with a trigger that would rewrite port 21 when the site's records are put in.
        #expect(try run(["seed", "--csv", folder.path("traps.csv"), "--db", folder.path("evil.db")]).status == 0)
        try Database(path: folder.path("evil.db"), mode: .readWriteCreate).execute("""
            CREATE TRIGGER rewrite AFTER INSERT ON records BEGIN UPDATE records SET description = 'pwned' WHERE port_first = 21; END;
            UPDATE registry_metadata SET imported_at = '2001-01-01T00:00:00Z'
            """)
        Self.replace(database, with: folder.path("evil.db"))
        #expect(try waitUntil {
            try server.get("/healthz").body.hasPrefix(Self.degraded + "the database file is not a portinfo registry this server can serve")
        })
        #expect(try server.get("/ports/21").body == before)
        let log = server.stop().log
        #expect(log.contains("it has trigger 'rewrite', which portinfo's seed does not make"), "\(log)")
    }

    @Test func aDatabaseOverTheSizeCapIsRefusedUnread() throws {
        let folder = TemporaryDirectory()
        #expect(try run(["seed", "--db", folder.path("registry.db")]).status == 0)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: folder.path("registry.db"))[.size] as? Int)
        let start = try run(["serve", "--host", "127.0.0.1", "--port", "0", "--db", folder.path("registry.db")],
                            environment: ["PORTINFO_MAX_DATABASE_SIZE": String(size - 1)], timeout: 30)
        #expect(start.status == 1)
        #expect(start.error == "portinfo: the registry database \(folder.path("registry.db")) is larger than \(size - 1) bytes: refused unread\n")
    }

    @Test func aDatabaseMadeUnreadableIsSaidToBeUnreadableNotGone() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let server = try ServerProcess(["--db", database, "--access-log", "off"], unprivileged: true)
        #expect(chmod(database, 0) == 0)
        #expect(try waitUntil {
            try server.get("/healthz").body.hasPrefix(Self.degraded + "the database file cannot be read: permission denied: serving the registry loaded before")
        })
        #expect(chmod(database, 0o644) == 0)
        #expect(try waitUntil { try server.get("/healthz").body == #"{"status":"ok"}"# + "\n" })
        let log = server.stop().log
        #expect(log.contains("not switching registries: \(database) cannot be read: permission denied"), "\(log)")
        #expect(!log.contains("gone") && !log.contains("deleted"))
    }

    @Test func anOlderSchemaIsNamedByThePathGivenNeverByAnInternalOne() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let server = try ServerProcess(["--db", database, "--access-log", "off"])
        let old = try Database(path: folder.path("old.db"), mode: .readWriteCreate)
        try Migrator(migrations: Array(Migration.all.prefix(2))).migrate(old)
        Self.replace(database, with: folder.path("old.db"))
        #expect(try waitUntil { try server.get("/healthz").body.hasPrefix(Self.degraded) })
        let log = server.stop().log
        #expect(log.contains("not switching registries: \(database): \(database) has schema version 2, older than this portinfo needs"), "\(log)")
        #expect(!log.contains("memdb") && !log.contains("vfs="))
    }

    @Test func aReseedThatChangesOnlyTheHistoryIsTakenAndItsChangesHaveATagOfTheirOwn() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let edited = folder.write("edited.csv", RegistryReloadTests.editedCSV)
        // Two databases of the same CSV: one seeded over the traps registry, one from nothing.
        #expect(try run(["seed", "--csv", edited, "--db", database]).status == 0)
        #expect(try run(["seed", "--csv", edited, "--db", folder.path("fresh.db")]).status == 0)
        let server = try ServerProcess(["--db", database, "--access-log", "off"])
        let first = try server.get("/registry/changes")
        #expect(first.json?["added"] as? Int == 1)
        let tag = try #require(first.header("ETag"))
        Self.replace(database, with: folder.path("fresh.db"))
        #expect(try waitUntil { try server.get("/registry/changes").json?["since"] is NSNull })
        let second = try server.get("/registry/changes", headers: [("If-None-Match", tag)])
        #expect(second.status == 200 && second.header("ETag") != tag && second.json?["added"] as? Int == 0)
        #expect(try server.get("/ports/600", headers: [("If-None-Match", tag)]).status == 200)
    }
}

/// A site file as large as the caps allow costs the server time linear in its rows, lists a
/// bounded number of clashes, and never keeps /healthz or the next database from being answered
/// and taken.
@Suite struct BigSiteFileServeTests {
    /// `rows` site assignments over every port in turn, each clashing where IANA assigns the port.
    static func siteCSV(rows: Int) -> String {
        var csv = "Service Name,Port Number,Transport Protocol,Description\n"
        for row in 0..<rows { csv += "site-svc-\(row),\(row % 65536),\(row % 2 == 0 ? "udp" : "tcp"),Internal service \(row)\n" }
        return csv
    }

    @Test func aSiteFileAtTheRowCapIsServedItsClashesListedBoundedAndTheNextSwapTaken() throws {
        let folder = TemporaryDirectory()
        #expect(try run(["seed", "--db", folder.path("registry.db")]).status == 0)
        let site = folder.write("site.csv", Self.siteCSV(rows: SitePortsFile.maximumRows))
        let started = Date()
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--site-ports", site, "--access-log", "off"])
        print("a site file of \(SitePortsFile.maximumRows) rows: serving \(String(format: "%.1f", Date().timeIntervalSince(started))) s after the start")
        #expect(try server.get("/services/site-svc-99999").status == 200)
        let clashes = server.startupLog.split(separator: "\n").filter { $0.contains("site ports: ") }
        #expect(clashes.count == SiteClashes.maximumListed + 1)
        #expect(clashes.last?.hasSuffix("site ports: and more: only the first 100 clashes are listed") == true)

        // Load it again (SIGHUP), and ask /healthz all the while: each answer comes at once.
        kill(server.process.processIdentifier, SIGHUP)
        var slowest = 0.0
        for _ in 0..<20 {
            let asked = Date()
            #expect(try server.get("/healthz").status == 200)
            slowest = max(slowest, Date().timeIntervalSince(asked))
            usleep(50_000)
        }
        print("/healthz while the site file loaded again: slowest \(String(format: "%.3f", slowest)) s")
        // A new database after it is taken, with the site file's records beside it.
        #expect(try run(["seed", "--csv", folder.write("edited.csv", RegistryReloadTests.editedCSV), "--db", folder.path("next.db")]).status == 0)
        #expect(rename(folder.path("next.db"), folder.path("registry.db")) == 0)
        #expect(try waitUntil {
            let answer = try server.get("/ports/7000").body
            return answer.contains("newsvc") && answer.contains("site-svc-7000")
        })
    }

    @Test func aSiteFilePastTheRowCapIsRefusedSayingWhy() throws {
        let folder = try seededFolder()
        let site = folder.write("site.csv", Self.siteCSV(rows: SitePortsFile.maximumRows + 1))
        let start = try run(["serve", "--host", "127.0.0.1", "--port", "0", "--db", folder.path("registry.db"), "--site-ports", site], timeout: 60)
        #expect(start.status == 1)
        #expect(start.error == "portinfo: \(site) line \(SitePortsFile.maximumRows + 2): the file has more than 100000 rows: "
            + "more than a site's own ports come to; nothing was seeded from it\n")
    }
}
