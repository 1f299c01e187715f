@testable import portinfo
import Testing
import TestSupport

/// What `serve` would run with, from these arguments and this environment, read in this process.
private func settings(_ arguments: [String] = [], _ environment: [String: String] = [:]) throws -> ServeSettings {
    try ServeSettings(ServeOptions.parse(arguments), environment: environment)
}

/// The usage error (exit status 64) these would stop `serve` with, or nil when they are taken.
private func refusal(_ arguments: [String] = [], _ environment: [String: String] = [:]) -> String? {
    do {
        _ = try settings(arguments, environment)
        return nil
    } catch {
        #expect(PortInfo.exitCode(for: error).rawValue == 64, "\(error)")
        return "\(error)"
    }
}

/// The variable of the option `--name`: its name in capitals.
private func variableName(_ name: String) -> String {
    "PORTINFO_" + name.uppercased().replacing("-", with: "_")
}

@Suite struct ServeSettingsTests {
    @Test func nothingGivenIsEveryDefault() throws {
        let settings = try settings([], ["HOME": "/home/someone"])
        #expect(settings.server.host == "::" && settings.server.port == 8080 && settings.server.backlog == 511)
        #expect(settings.server.workerThreads >= 1)
        #expect(settings.server.limits.maxConnections == 4096 && settings.server.limits.maxConnectionsPerClient == 256)
        #expect(settings.server.limits.maxRequestLineLength == 8192 && settings.server.limits.maxBodySize == 8192)
        #expect(settings.server.limits.headerTimeout == .seconds(10) && settings.server.limits.idleTimeout == .seconds(60))
        #expect(settings.server.limits.writeTimeout == .seconds(30) && settings.server.limits.shutdownGracePeriod == .seconds(10))
        #expect(settings.api.databasePath == "/home/someone/.local/share/portinfo/registry.db")
        #expect(settings.api.sitePortsPath == nil && settings.seedCSV == nil)
        #expect(settings.api.allowedOrigins == ["*"] && settings.api.cacheMaxAge == 3600)
        #expect(settings.api.queryThreads >= 2 && settings.api.queryQueueLength == 1024)
        #expect(settings.api.queryTimeBudget == .seconds(2) && settings.api.maximumDatabaseBytes == 64 << 20)
        #expect(settings.api.localReporting == nil && !settings.exposesHostStateToAnyone)
        #expect(settings.logLevel == .info && settings.logFormat == .text && settings.accessLog)
    }

    @Test func theFlagWinsOverTheVariableAndTheVariableOverTheDefault() throws {
        let environment = ["PORTINFO_PORT": "9100", "PORTINFO_IDLE_TIMEOUT": "1.5", "PORTINFO_LOG_LEVEL": "debug",
                           "PORTINFO_CORS_ORIGINS": "https://a.example, https://b.example", "PORTINFO_DB": "/srv/env.db",
                           "PORTINFO_ACCESS_LOG": "off", "PORTINFO_CSV": "/srv/iana.csv"]
        let fromVariables = try settings([], environment)
        #expect(fromVariables.server.port == 9100 && fromVariables.server.limits.idleTimeout == .milliseconds(1500))
        #expect(fromVariables.logLevel == .debug && !fromVariables.accessLog && fromVariables.seedCSV == "/srv/iana.csv")
        #expect(fromVariables.api.allowedOrigins == ["https://a.example", "https://b.example"])
        #expect(fromVariables.api.databasePath == "/srv/env.db")

        let fromFlags = try settings(["--port", "9000", "--idle-timeout", "2", "--log-level", "error", "--cors-origins", "",
                                      "--db", "/srv/flag.db", "--access-log", "on", "--csv", "-"], environment)
        #expect(fromFlags.server.port == 9000 && fromFlags.server.limits.idleTimeout == .seconds(2))
        #expect(fromFlags.logLevel == .error && fromFlags.accessLog && fromFlags.seedCSV == "-")
        #expect(fromFlags.api.allowedOrigins == [] && fromFlags.api.databasePath == "/srv/flag.db")
    }

    @Test func anEmptyVariableIsNotSet() throws {
        let settings = try settings([], ["PORTINFO_PORT": "", "PORTINFO_REPORT_LOCAL": "", "PORTINFO_LOCAL_TOKEN": "",
                                         "PORTINFO_DB": "", "XDG_DATA_HOME": "/data"])
        #expect(settings.server.port == 8080 && settings.api.localReporting == nil)
        #expect(settings.api.databasePath == "/data/portinfo/registry.db")
    }

    @Test(arguments: [
        ("port", "70000", "from 0 to 65535, got 70000"),
        ("backlog", "-1", "0 or more, got -1"),
        ("query-threads", "257", "from 1 to 256, got 257"),
        ("max-database-size", "65535", "from 65536 to 1073741824, got 65535"),
        ("idle-timeout", "86401", "more than 0 seconds and at most 86400, got 86401.0"),
    ])
    func aValueOutOfBoundsIsRefusedNamingFlagAndVariable(name: String, value: String, bounds: String) {
        let variable = variableName(name)
        let message = "--\(name) (\(variable)) must be \(bounds)"
        #expect(refusal(["--\(name)=\(value)"]) == message)
        #expect(refusal([], [variable: value]) == message)
    }

    @Test(arguments: [
        ("PORTINFO_PORT", "http", "PORTINFO_PORT='http' is not a valid value"),
        ("PORTINFO_LOG_FORMAT", "xml", "PORTINFO_LOG_FORMAT='xml' is not a valid value"),
        ("PORTINFO_REPORT_LOCAL", "Maybe", "PORTINFO_REPORT_LOCAL='maybe' must be 1 or 0"),
        ("PORTINFO_EXPOSE_HOST_STATE_TO_ANYONE", "2", "PORTINFO_EXPOSE_HOST_STATE_TO_ANYONE='2' must be 1 or 0"),
    ])
    func aVariableThatIsNoValueIsRefused(variable: String, text: String, message: String) {
        #expect(refusal([], [variable: text]) == message)
    }

    @Test(arguments: ["1", "true", "ON", "yes"])
    func aSwitchIsOnByItsVariable(text: String) throws {
        let settings = try settings(["--host", "127.0.0.1"], ["PORTINFO_REPORT_LOCAL": text])
        #expect(settings.api.localReporting != nil)
    }

    @Test(arguments: [("local-token", "t"), ("local-allow", "10.0.0.0/8"), ("local-cors-origins", "https://ops.example"),
                      ("local-hosts", "portinfo.internal"), ("scan-max-age", "0")])
    func aLocalHostSettingWithoutReportLocalIsRefusedByName(name: String, value: String) {
        let variable = variableName(name)
        let message = "--\(name) (\(variable)) is a setting of local-host reporting, which is off: "
            + "add --report-local (PORTINFO_REPORT_LOCAL=1), or drop it"
        #expect(refusal(["--\(name)", value]) == message)
        #expect(refusal([], [variable: value]) == message)
        #expect(refusal([], [variable: value, "PORTINFO_REPORT_LOCAL": "0"]) == message)
    }

    @Test func exposingHostStateWithoutReportLocalIsRefused() {
        let message = "--expose-host-state-to-anyone (PORTINFO_EXPOSE_HOST_STATE_TO_ANYONE) is a setting of local-host reporting, "
            + "which is off: add --report-local (PORTINFO_REPORT_LOCAL=1), or drop it"
        #expect(refusal(["--expose-host-state-to-anyone"]) == message)
        #expect(refusal([], ["PORTINFO_EXPOSE_HOST_STATE_TO_ANYONE": "yes"]) == message)
    }

    @Test(arguments: [(["--host", "0.0.0.0"], [String: String]()), ([], ["PORTINFO_HOST": "192.0.2.1"]), ([], [:])])
    func hostStateOnTheNetworkWithoutATokenOrAllowListIsRefused(arguments: [String], environment: [String: String]) {
        let host = arguments.last ?? environment["PORTINFO_HOST"] ?? "::"
        #expect(refusal(["--report-local"] + arguments, environment) == "--report-local on \(host), which is not loopback, would show "
            + "this host's processes, users and ports to anyone who can reach it: require a token (PORTINFO_LOCAL_TOKEN, or "
            + "--local-token), allow only some networks (--local-allow CIDR,...), or listen on loopback (--host 127.0.0.1); to serve "
            + "them to anyone after all, add --expose-host-state-to-anyone")
    }

    @Test func aTokenAnAllowListLoopbackOrTheExplicitFlagLetHostStateOn() throws {
        let token = try settings(["--report-local", "--local-cors-origins", "https://ops.example"], ["PORTINFO_LOCAL_TOKEN": "s3cret"])
        #expect(token.api.localReporting?.token == "s3cret" && token.api.localReporting?.allowedOrigins == ["https://ops.example"])
        #expect(!token.exposesHostStateToAnyone)
        let allowList = try settings(["--report-local", "--local-allow", "10.0.0.0/8, 192.0.2.0/24,", "--scan-max-age", "0"])
        #expect(allowList.api.localReporting?.allowedNetworks.count == 2 && allowList.api.localReporting?.scanMaxAge == .zero)
        for host in ["127.0.0.1", "127.0.0.2", "::1", "LocalHost"] {
            let loopback = try settings(["--report-local", "--host", host, "--local-hosts", "portinfo.internal"])
            #expect(loopback.api.localReporting?.allowedHostNames == ["portinfo.internal"] && !loopback.exposesHostStateToAnyone, "\(host)")
            #expect(loopback.api.localReporting?.scanMaxAge == .seconds(1))
        }
        let exposed = try settings(["--report-local", "--expose-host-state-to-anyone"])
        #expect(exposed.api.localReporting?.token == nil && exposed.exposesHostStateToAnyone)
    }

    @Test(arguments: [
        (["--local-allow", "10.0.0.0/8,bogus"], "--local-allow (PORTINFO_LOCAL_ALLOW): 'bogus' is not an IPv4 or IPv6 network such as 192.0.2.0/24"),
        (["--local-cors-origins", "https://ops.example,*"],
         "--local-cors-origins (PORTINFO_LOCAL_CORS_ORIGINS) cannot be *: host state goes only to the origins named"),
        (["--local-hosts", "ok.example,bad name"], "--local-hosts (PORTINFO_LOCAL_HOSTS): 'bad name' is not a host name such as portinfo.example.com"),
        (["--scan-max-age=-0.5"], "--scan-max-age (PORTINFO_SCAN_MAX_AGE) must be 0 or more seconds and at most 86400, got -0.5"),
    ])
    func badLocalHostListsAreRefusedByName(arguments: [String], message: String) {
        #expect(refusal(["--report-local", "--host", "::1"] + arguments) == message)
    }

    @Test func aSettingsVariableIsItsNameInCapitals() {
        #expect(Setting.queryThreads.flag == "--query-threads" && Setting.queryThreads.variable == "PORTINFO_QUERY_THREADS")
        #expect(Setting.exposeHostStateToAnyone.variableUsage == "PORTINFO_EXPOSE_HOST_STATE_TO_ANYONE=1")
        #expect(Setting.db.flagAndVariable == "--db (PORTINFO_DB)")
    }

    /// Each option's help names its variable once, as its flag says, and its default once.
    @Test func everyOptionsHelpNamesItsVariableAndItsDefaultOnce() {
        // An option's lines: its flag's, then those indented further.
        let options = Serve.helpMessage(columns: 1000).split(separator: "\n").reduce(into: [String]()) { options, line in
            if line.hasPrefix("  --") {
                options.append(String(line))
            } else if line.hasPrefix("    "), !options.isEmpty {
                options[options.count - 1] += line
            }
        }.filter { !$0.hasPrefix("  --help") && !$0.hasPrefix("  --version") }
        #expect(options.count == 34)
        for line in options {
            let variable = variableName(String(line.dropFirst(4).prefix { $0 != " " }))
            #expect(line.split(separator: "PORTINFO_", omittingEmptySubsequences: false).count == 2, "\(line)")
            #expect(line.contains("(env \(variable)"), "\(line)")
            #expect(line.split(separator: "default", omittingEmptySubsequences: false).count <= 2, "\(line)")
        }
    }
}

@Suite struct HealthcheckSettingsTests {
    @Test func aPortOutOfRangeIsAUsageError() throws {
        let result = try run(["healthcheck", "--port", "70000"])
        #expect(result.status == 64)
        #expect(result.error == "portinfo: --port (PORTINFO_PORT) must be from 0 to 65535, got 70000\n")
    }
}
