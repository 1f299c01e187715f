import Foundation
import Registry
import Synchronization
import Testing
import TestSupport

@Suite struct ServeLimitsTests {
    @Test(arguments: [
        (["--write-timeout", "0"], [String: String](), "--write-timeout (PORTINFO_WRITE_TIMEOUT) must be more than 0 seconds and at most 86400, got 0.0"),
        ([], ["PORTINFO_WRITE_TIMEOUT": "90000"], "--write-timeout (PORTINFO_WRITE_TIMEOUT) must be more than 0 seconds and at most 86400, got 90000.0"),
        ([], ["PORTINFO_MAX_CONNECTIONS_PER_CLIENT": "0"], "--max-connections-per-client (PORTINFO_MAX_CONNECTIONS_PER_CLIENT) must be 1 or more, got 0"),
        (["--query-threads", "0"], [:], "--query-threads (PORTINFO_QUERY_THREADS) must be from 1 to 256, got 0"),
        ([], ["PORTINFO_QUERY_THREADS": "257"], "--query-threads (PORTINFO_QUERY_THREADS) must be from 1 to 256, got 257"),
        ([], ["PORTINFO_QUERY_QUEUE": "0"], "--query-queue (PORTINFO_QUERY_QUEUE) must be 1 or more, got 0"),
        ([], ["PORTINFO_MAX_CONNECTIONS": "0"], "--max-connections (PORTINFO_MAX_CONNECTIONS) must be 1 or more, got 0"),
        ([], ["PORTINFO_CACHE_MAX_AGE": "-1"], "--cache-max-age (PORTINFO_CACHE_MAX_AGE) must be 0 or more, got -1"),
        (["--query-time-budget", "0"], [:], "--query-time-budget (PORTINFO_QUERY_TIME_BUDGET) must be more than 0 seconds and at most 86400, got 0.0"),
        ([], ["PORTINFO_QUERY_TIME_BUDGET": "1e-30"], "--query-time-budget (PORTINFO_QUERY_TIME_BUDGET) must be more than 0 seconds and at most 86400, got 1e-30"),
        ([], ["PORTINFO_QUERY_TIME_BUDGET": "nan"], "--query-time-budget (PORTINFO_QUERY_TIME_BUDGET) must be more than 0 seconds and at most 86400, got nan"),
        (["--max-database-size", "65535"], [:], "--max-database-size (PORTINFO_MAX_DATABASE_SIZE) must be from 65536 to 1073741824, got 65535"),
        ([], ["PORTINFO_MAX_DATABASE_SIZE": "1073741825"],
         "--max-database-size (PORTINFO_MAX_DATABASE_SIZE) must be from 65536 to 1073741824, got 1073741825"),
    ])
    func outOfRangeSettingsAreRefusedNamingFlagAndVariable(arguments: [String], environment: [String: String], message: String) throws {
        let folder = try seededFolder()
        let result = try run(["serve", "--db", folder.path("registry.db")] + arguments, environment: environment)
        #expect(result.status == 64)
        #expect(result.error == "portinfo: \(message)\n")
    }

    @Test func theEdgesOfTheNewSettingsAreTaken() throws {
        let folder = try seededFolder()
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--access-log", "off", "--query-threads", "1",
                                        "--query-queue", "1", "--write-timeout", "0.001", "--max-connections-per-client", "1"])
        // The one place in the queue may hold the database check the server starts with, for a moment.
        #expect(try waitUntil { try server.get("/services/ftp").status == 200 })
        let largest = try ServerProcess(["--db", folder.path("registry.db"), "--access-log", "off", "--query-threads", "256",
                                         "--write-timeout", "86400", "--idle-timeout", "86400"])
        #expect(try largest.get("/search?q=sun").status == 200)
    }

    @Test func theConnectionsOfOneClientAreCapped() throws {
        let folder = try seededFolder()
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--access-log", "off"],
                                       environment: ["PORTINFO_MAX_CONNECTIONS_PER_CLIENT": "2"])
        let held = try (0..<2).map { _ in try server.client() }
        for client in held {
            client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
        }
        #expect(try server.client().readResponse()?.status == 503)
    }

    @Test func aClientThatReadsNothingIsCutOffAfterTheWriteTimeout() throws {
        let folder = try seededFolder()
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--access-log", "off", "--write-timeout", "1"])
        let stalled = try server.client()
        stalled.shrinkReceiveBuffer()
        // Far more than the socket buffers hold: the server's output stalls on it.
        stalled.send(String(repeating: "GET /openapi.yaml HTTP/1.1\r\nHost: t\r\n\r\n", count: 200))
        let observer = try server.client()
        // The bound is a defect's, not a speed: under the default write timeout (30 s) it never comes.
        #expect(waitUntil(timeout: .seconds(20), poll: .milliseconds(100)) {
            observer.metrics()?.value("portinfo_http_open_connections") == 1
        }, "cut off at its write timeout, not the default 30 s")
    }

    /// A registry where one search matches every record, so that it takes a while to rank.
    static func slowSearchFolder() throws -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        let csv = folder.write("bulk.csv", generatedCSV(records: 20_000))
        let seeded = try run(["seed", "--csv", csv, "--db", folder.path("registry.db")])
        #expect(seeded.status == 0, "\(seeded.error)")
        return folder
    }

    @Test func sixtyFourConnectionsOfQueriesSeeNo503() throws {
        let folder = try seededFolder()
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--access-log", "off"])
        let targets = ["/services/ftp", "/search?q=sun", "/search?q=whois&offset=1", "/services/whois%2B%2B", "/ports/"]
        let statuses = Mutex<[Int: Int]>([:])
        let done = DispatchGroup()
        for connection in 0..<64 {
            let client = try RawClient(port: server.port, timeout: 60)
            done.enter()
            Thread.detachNewThread {
                for round in 0..<20 {
                    let target = targets[round % targets.count] + (round % targets.count == 4 ? String(connection * 20 + round) : "")
                    client.send("GET \(target) HTTP/1.1\r\nHost: t\r\n\r\n")
                    let status = client.readResponse()?.status ?? 0
                    statuses.withLock { $0[status, default: 0] += 1 }
                }
                done.leave()
            }
        }
        #expect(done.wait(timeout: .now() + 120) == .success)
        #expect(statuses.withLock { $0 } == [200: 64 * 20])
    }

    @Test func queuedQueriesStillAnswerOnGracefulShutdown() throws {
        let folder = try Self.slowSearchFolder()
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--access-log", "off", "--query-threads", "1"])
        let clients = try (0..<16).map { _ in try RawClient(port: server.port, timeout: 60) }
        for (index, client) in clients.enumerated() {
            client.send("GET /search?q=generated&offset=\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
        }
        // Once several wait for the one query thread, stop the server.
        let observer = try server.client()
        #expect(waitUntil { (observer.metrics()?.value("portinfo_query_queue_waiting") ?? 0) >= 4 })
        kill(server.process.processIdentifier, SIGTERM)
        for (index, client) in clients.enumerated() {
            let response = client.readResponse()
            #expect(response?.status == 200, "request \(index)")
            #expect(response?.header("Connection") == "close")
        }
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
    }
}

@Suite struct DatabaseCheckServeTests {
    @Test func aDamagedDatabaseStillServesButFailsHealthAndSaysSoInTheLog() throws {
        let folder = TemporaryDirectory()
        let csv = folder.write("bulk.csv", generatedCSV(records: 3_000))
        let path = folder.path("registry.db")
        #expect(try run(["seed", "--csv", csv, "--db", path]).status == 0)
        let seeded = try Database(path: path, mode: .readOnly)
        let pageSize = Int(try seeded.scalarText("PRAGMA page_size") ?? "") ?? 0
        let pages = try seeded.prepare("SELECT pageno FROM dbstat WHERE name = 'records' AND pagetype = 'leaf' ORDER BY pageno")
            .rows { $0.int(at: 0) }
        let file = try #require(FileHandle(forUpdatingAtPath: path))
        try file.seek(toOffset: UInt64((pages[5] - 1) * pageSize))
        try file.write(contentsOf: Data(repeating: 0xA5, count: pageSize))
        try file.close()

        let server = try ServerProcess(["--db", path])
        #expect(try waitUntil { try server.get("/healthz").status == 503 })
        #expect(try run(["healthcheck", "--port", String(server.port)]).status == 1)
        #expect(try server.get("/registry").status == 200, "it still serves what it can")
        let log = server.startupLog + server.stop().log
        let line = try #require(log.split(separator: "\n").first { $0.contains("the registry database failed SQLite's quick_check: re-seed it") })
        #expect(line.contains("critical") && line.contains("found=database disk image is malformed"))
    }
}
