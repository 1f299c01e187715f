import Foundation
import HostState
import Registry
import Testing
import TestSupport

@Suite struct ServeTests {
    /// What a live server answers is asserted by the shared test bodies of PortInfoAPITests (those
    /// taking a `Serving`); here, what it says it serves.
    @Test func theStartupLineNamesTheRegistryServed() throws {
        let folder = try seededFolder()
        let server = try ServerProcess(["--db", folder.path("registry.db")])
        #expect(server.startupLog.contains("registry \(folder.path("registry.db")): 13 records from traps.csv, newest IANA date 2024-12-20, "))
    }

    /// Held to one processor, it starts one I/O thread and two query threads (two I/O threads
    /// there would take turns on it); an explicit --worker-threads still wins.
    @Test func threadsFollowTheProcessorsTheProcessMayUse() throws {
        let folder = try seededFolder()
        let held = try ServerProcess(["--db", folder.path("registry.db")], cpus: "0")
        #expect(held.startupLog.contains(" with 1 I/O thread; "))
        #expect(threadNames(of: held).filter { $0.hasPrefix("portinfo.worker") }.count == 1)
        #expect(threadNames(of: held).filter { $0 == "portinfo-query" }.count == 2)
        #expect(try held.get("/ports/600").status == 200)

        let told = try ServerProcess(["--db", folder.path("registry.db"), "--worker-threads", "3"], cpus: "0")
        #expect(told.startupLog.contains(" with 3 I/O threads; "))
        #expect(threadNames(of: told).filter { $0.hasPrefix("portinfo.worker") }.count == 3)
    }

    private func threadNames(of server: ServerProcess) -> [String] {
        let tasks = "/proc/\(server.process.processIdentifier)/task"
        return ((try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []).compactMap { task in
            (try? String(contentsOfFile: "\(tasks)/\(task)/comm", encoding: .utf8))?.trimmingCharacters(in: .newlines)
        }
    }

    @Test func healthcheckPassesWhileTheServerAnswersAndFailsAfter() throws {
        let folder = try seededFolder()
        let server = try ServerProcess(["--db", folder.path("registry.db")])
        let healthy = try run(["healthcheck", "--port", String(server.port)])
        #expect(healthy.status == 0 && healthy.error.isEmpty)
        _ = server.stop()
        let gone = try run(["healthcheck", "--port", String(server.port), "--timeout", "1"])
        #expect(gone.status == 1)
        #expect(gone.error == "portinfo: GET http://127.0.0.1:\(server.port)/healthz answered nothing\n")
    }

    @Test func sigtermStopsGracefullyAndExitsZero() throws {
        let folder = try seededFolder()
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--access-log", "off"])
        let idle = try server.client()
        idle.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(idle.readResponse()?.status == 200)
        let started = Date()
        let (status, log) = server.stop(with: SIGTERM)
        print("SIGTERM: stopped \(String(format: "%.3f", Date().timeIntervalSince(started))) s after the signal")
        #expect(status == 0)
        // An idle connection is closed at once, not waited for until the grace period ends.
        #expect(!log.contains("shutdown grace period over"), "\(log)")
        #expect(log.contains("stopped"))
        #expect(idle.isClosedByServer())
    }

    @Test func csvSeedsAMissingDatabaseThenLeavesAnUnchangedOneAlone() throws {
        let folder = TemporaryDirectory()
        let csv = folder.write("traps.csv", trapsCSV)
        let database = folder.path("new.db")
        let first = try ServerProcess(["--db", database, "--csv", csv])
        #expect(first.startupLog.contains("seeded \(database): 13 records"))
        #expect(try first.get("/ports/63").status == 200)
        _ = first.stop()
        let second = try ServerProcess(["--db", database], environment: ["PORTINFO_CSV": csv])
        #expect(second.startupLog.contains("\(database) is unchanged: already seeded from this CSV"))
        let third = try ServerProcess(["--db", database, "--csv", "-"], input: Data((trapsCSV + "x,9,tcp,X,,,,,,,,\n").utf8))
        #expect(third.startupLog.contains("seeded \(database): 14 records"))
    }

    @Test func theServingProcessNeverWritesItsDatabase() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let server = try ServerProcess(["--db", database])
        for target in ["/ports/600", "/services/whois%2B%2B", "/search?q=sun", "/registry"] {
            #expect(try server.get(target).status == 200, "\(target)")
        }
        _ = server.stop()
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        #expect(folder.fileNames() == ["registry.db", "traps.csv"])
    }

    @Test(arguments: [
        (["--port", "70000"], [String: String](), "portinfo: --port (PORTINFO_PORT) must be from 0 to 65535, got 70000\n"),
        ([], ["PORTINFO_PORT": "http"], "portinfo: PORTINFO_PORT='http' is not a valid value\n"),
        ([], ["PORTINFO_HEADER_TIMEOUT": "0"], "portinfo: --header-timeout (PORTINFO_HEADER_TIMEOUT) must be more than 0 seconds and at most 86400, got 0.0\n"),
        (["--log-format", "xml"], [:], nil),
    ])
    func badConfigurationIsRefusedInOneLine(arguments: [String], environment: [String: String], message: String?) throws {
        let folder = try seededFolder()
        let result = try run(["serve", "--db", folder.path("registry.db")] + arguments, environment: environment)
        #expect(result.status != 0)
        #expect(result.error.hasPrefix("portinfo: ") && result.error.filter { $0 == "\n" }.count == 1)
        if let message { #expect(result.error == message) }
    }

    @Test func helpNamesTheEnvironmentVariableOfEveryOption() throws {
        let help = try run(["serve", "--help"]).output
        let options = help.split(separator: "\n").filter { $0.hasPrefix("  --") && !$0.hasPrefix("  --help") }
        #expect(options.count >= 18)
        for variable in ["PORTINFO_HOST", "PORTINFO_PORT", "PORTINFO_DB", "PORTINFO_CSV", "PORTINFO_CORS_ORIGINS",
                         "PORTINFO_MAX_CONNECTIONS", "PORTINFO_HEADER_TIMEOUT", "PORTINFO_IDLE_TIMEOUT",
                         "PORTINFO_LOG_LEVEL", "PORTINFO_LOG_FORMAT", "PORTINFO_ACCESS_LOG", "PORTINFO_WRITE_TIMEOUT",
                         "PORTINFO_MAX_CONNECTIONS_PER_CLIENT", "PORTINFO_QUERY_THREADS", "PORTINFO_QUERY_QUEUE", "PORTINFO_QUERY_TIME_BUDGET",
                         "PORTINFO_LOCAL_HOSTS", "PORTINFO_EXPOSE_HOST_STATE_TO_ANYONE"] {
            #expect(help.contains(variable), "\(variable)")
        }
    }
}

@Suite struct LocalHostServeTests {
    @Test func badLocalSettingsAreRefusedInOneLine() throws {
        let folder = try seededFolder()
        let result = try run(["serve", "--db", folder.path("registry.db"), "--report-local", "--local-allow", "10.0.0.0/8,bogus"])
        #expect(result.status == 64)
        #expect(result.error == "portinfo: --local-allow (PORTINFO_LOCAL_ALLOW): 'bogus' is not an IPv4 or IPv6 network such as 192.0.2.0/24\n")
        let flag = try run(["serve", "--db", folder.path("registry.db")], environment: ["PORTINFO_REPORT_LOCAL": "maybe"])
        #expect(flag.error == "portinfo: PORTINFO_REPORT_LOCAL='maybe' must be 1 or 0\n")
    }

    @Test(.needsProcNet)
    func theListenersCommandShowsThisProcessesSocket() throws {
        let folder = try seededFolder()
        let socket = try #require(LoopbackSocket(.tcp, .ipv4))
        let table = try run(["listeners", "--port", String(socket.port), "--db", folder.path("registry.db")])
        #expect(table.status == 0)
        let lines = table.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("NETID  LOCAL ADDRESS:PORT") == true)
        #expect(lines.count == 2 && lines[1].hasPrefix("tcp    127.0.0.1:\(socket.port)"))
        #expect(lines[1].contains("(\(getpid()))"))

        let free = try run(["free-ports", "--count", "3", "--range", "dynamic", "--db", folder.path("registry.db")])
        #expect(free.output.split(separator: "\n").count == 3)
        let bad = try run(["free-ports", "--range", "dynamic", "--from", "70000", "--db", folder.path("registry.db")])
        #expect(bad.status == 64 && bad.error == "portinfo: --from must be a port from 0 to 65535, got 70000\n")
    }
}
