import Foundation
import Testing
import TestSupport

@Suite struct LocalReportingServeTests {
    static let risk = "which is not loopback, would show this host's processes, users and ports to anyone who can reach it: "
        + "require a token (PORTINFO_LOCAL_TOKEN, or --local-token), allow only some networks (--local-allow CIDR,...), "
        + "or listen on loopback (--host 127.0.0.1); to serve them to anyone after all, add --expose-host-state-to-anyone\n"

    @Test(arguments: [(["--host", "::"], [String: String]()), (["--host", "0.0.0.0"], [:]), ([], ["PORTINFO_HOST": "192.0.2.1"]),
                      ([], [:])])
    func hostStateOnTheNetworkWithoutATokenOrAllowListRefusesToStart(arguments: [String], environment: [String: String]) throws {
        let folder = try seededFolder()
        let result = try run(["serve", "--db", folder.path("new.db"), "--csv", folder.path("traps.csv"), "--report-local"] + arguments,
                             environment: environment)
        let host = arguments.last ?? environment["PORTINFO_HOST"] ?? "::"
        #expect(result.status == 64)
        #expect(result.error == "portinfo: --report-local on \(host), " + Self.risk)
        #expect(!FileManager.default.fileExists(atPath: folder.path("new.db")), "refused before seeding")
    }

    @Test(arguments: [
        ["--host", "127.0.0.1"], ["--host", "::1"], ["--host", "localhost"], ["--host", "127.0.0.2"],
        ["--host", "::", "--local-allow", "192.0.2.0/24"], ["--host", "0.0.0.0"],
    ])
    func loopbackATokenOrAnAllowListLetItStart(arguments: [String]) throws {
        let folder = try seededFolder()
        let token = arguments.contains("0.0.0.0") ? ["PORTINFO_LOCAL_TOKEN": "s3cret"] : [:]
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--report-local", "--access-log", "off"] + arguments,
                                       environment: token)
        #expect(!server.startupLog.contains("warning"))
    }

    @Test func theExplicitFlagStartsItWithAWarning() throws {
        let folder = try seededFolder()
        for (arguments, environment) in [(["--expose-host-state-to-anyone"], [String: String]()),
                                         ([], ["PORTINFO_EXPOSE_HOST_STATE_TO_ANYONE": "1"])] {
            let server = try ServerProcess(["--db", folder.path("registry.db"), "--report-local", "--host", "::"] + arguments,
                                           environment: environment)
            #expect(server.startupLog.contains("warning portinfo: [portinfo] --expose-host-state-to-anyone: anyone who reaches :: sees this host's processes, users and ports"))
        }
    }

    @Test(arguments: [
        (["--local-token", "t"], [String: String](), "--local-token (PORTINFO_LOCAL_TOKEN)"),
        ([], ["PORTINFO_LOCAL_TOKEN": "t"], "--local-token (PORTINFO_LOCAL_TOKEN)"),
        (["--local-allow", "10.0.0.0/8"], [:], "--local-allow (PORTINFO_LOCAL_ALLOW)"),
        ([], ["PORTINFO_LOCAL_CORS_ORIGINS": "https://ops.example"], "--local-cors-origins (PORTINFO_LOCAL_CORS_ORIGINS)"),
        (["--local-hosts", "portinfo.internal"], [:], "--local-hosts (PORTINFO_LOCAL_HOSTS)"),
        ([], ["PORTINFO_SCAN_MAX_AGE": "0"], "--scan-max-age (PORTINFO_SCAN_MAX_AGE)"),
        (["--expose-host-state-to-anyone"], [:], "--expose-host-state-to-anyone (PORTINFO_EXPOSE_HOST_STATE_TO_ANYONE)"),
    ])
    func aLocalSettingWithoutReportLocalIsAnErrorNamingIt(arguments: [String], environment: [String: String], option: String) throws {
        let folder = try seededFolder()
        let result = try run(["serve", "--db", folder.path("registry.db")] + arguments, environment: environment)
        #expect(result.status == 64)
        #expect(result.error == "portinfo: \(option) is a setting of local-host reporting, which is off: "
            + "add --report-local (PORTINFO_REPORT_LOCAL=1), or drop it\n")
    }

    @Test(arguments: [
        (["--local-cors-origins", "https://ops.example,*"],
         "--local-cors-origins (PORTINFO_LOCAL_CORS_ORIGINS) cannot be *: host state goes only to the origins named"),
        (["--local-hosts", "ok.example,bad name"], "--local-hosts (PORTINFO_LOCAL_HOSTS): 'bad name' is not a host name such as portinfo.example.com"),
        (["--local-hosts", "[::1]"], "--local-hosts (PORTINFO_LOCAL_HOSTS): '[::1]' is not a host name such as portinfo.example.com"),
        (["--scan-max-age=-1"], "--scan-max-age (PORTINFO_SCAN_MAX_AGE) must be 0 or more seconds and at most 86400, got -1.0"),
    ])
    func badLocalSettingsAreRefusedByName(arguments: [String], message: String) throws {
        let folder = try seededFolder()
        let result = try run(["serve", "--db", folder.path("registry.db"), "--host", "127.0.0.1", "--report-local"] + arguments)
        #expect(result.status == 64)
        #expect(result.error == "portinfo: \(message)\n")
    }

    @Test func problemsAndTheRegistryNameNoPathOfTheServers() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let server = try ServerProcess(["--db", database, "--access-log", "off"])
        let registry = try server.get("/registry")
        #expect(registry.json?["source"] as? String == "traps.csv")
        #expect(truncate(database, 0) == 0)
        // The server notices within a second or two, and keeps serving the registry it holds.
        #expect(try waitUntil { try server.get("/healthz").body.contains("degraded") })
        let health = try server.get("/healthz")
        #expect(health.status == 200 && health.body.contains("degraded"))
        #expect(!health.body.contains(folder.url.path) && !health.body.contains("registry.db"))
        let missing = try server.get("/services/no-such-service")
        #expect(missing.status == 404 && !missing.body.contains(folder.url.path))
        #expect(try server.get("/services/ftp").status == 200)
    }
}
