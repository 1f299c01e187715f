import ArgumentParser
import Basics
import HTTPServer
import Logging
import PortInfoAPI
import Registry

/// What `serve` runs with: its options read from the flags and the environment and checked, all
/// before any work (a mistake costs no seed). Refusals are usage errors naming the flag and its
/// variable.
struct ServeSettings {
    var logFormat: LogFormat
    var logLevel: Logger.Level
    var server: HTTPServerConfiguration
    /// Everything but what needs the process's logging and metrics set up (the access log).
    var api: APIConfiguration
    var accessLog: Bool
    /// The CSV to seed the database from first, when it is missing or was seeded from another.
    var seedCSV: String?
    /// Host state goes to anyone who reaches the server, as the operator said in as many words.
    var exposesHostStateToAnyone = false

    init(_ options: ServeOptions, environment: [String: String]) throws {
        let read = SettingReader(environment: environment)
        logFormat = try read(.logFormat, options.logFormat)
        logLevel = try read(.logLevel, options.logLevel)
        server = try Self.server(options, read)
        api = APIConfiguration(
            databasePath: options.database.path(in: environment),
            sitePortsPath: read.text(.sitePorts, options.sitePorts).nonEmpty,
            allowedOrigins: read.list(.corsOrigins, options.corsOrigins),
            cacheMaxAge: try read(.cacheMaxAge, options.cacheMaxAge))
        (api.localReporting, exposesHostStateToAnyone) = try Self.localReporting(options, read, listeningOn: server.host)
        api.queryThreads = try read(.queryThreads, options.queryThreads)
        api.queryQueueLength = try read(.queryQueue, options.queryQueue)
        api.queryTimeBudget = .seconds(try read(.queryTimeBudget, options.queryTimeBudget))
        api.maximumDatabaseBytes = try read(.maxDatabaseSize, options.maxDatabaseSize)
        accessLog = try read(.accessLog, options.accessLog) == .on
        seedCSV = read.text(.csv, options.csv).nonEmpty
    }

    /// Where and how to listen, and the HTTP layer's limits.
    private static func server(_ options: ServeOptions, _ read: SettingReader) throws -> HTTPServerConfiguration {
        var server = HTTPServerConfiguration()
        server.host = read.text(.host, options.host)
        server.port = try read(.port, options.port)
        server.backlog = try read(.backlog, options.backlog)
        server.workerThreads = try read(.workerThreads, options.workerThreads)
        server.limits.maxConnections = try read(.maxConnections, options.maxConnections)
        server.limits.maxConnectionsPerClient = try read(.maxConnectionsPerClient, options.maxConnectionsPerClient)
        server.limits.maxRequestLineLength = try read(.maxRequestLine, options.maxRequestLine)
        server.limits.maxHeaderSectionSize = try read(.maxHeaderSize, options.maxHeaderSize)
        server.limits.maxHeaderCount = try read(.maxHeaderCount, options.maxHeaderCount)
        server.limits.maxBodySize = try read(.maxBodySize, options.maxBodySize)
        server.limits.maxRequestsPerConnection = try read(.maxRequestsPerConnection, options.maxRequestsPerConnection)
        server.limits.headerTimeout = .seconds(try read(.headerTimeout, options.headerTimeout))
        server.limits.idleTimeout = .seconds(try read(.idleTimeout, options.idleTimeout))
        server.limits.writeTimeout = .seconds(try read(.writeTimeout, options.writeTimeout))
        server.limits.shutdownGracePeriod = .seconds(try read(.shutdownGrace, options.shutdownGrace))
        return server
    }

    /// The local-host reporting settings, or nil when it stays off, and whether host state goes to
    /// anyone. Refuses settings that would do nothing (a local option without --report-local), and
    /// host state served to anyone on the network unless the operator says so in as many words.
    private static func localReporting(_ options: ServeOptions, _ read: SettingReader,
                                       listeningOn host: String) throws -> (LocalReporting?, exposed: Bool) {
        let exposed = try read.isOn(.exposeHostStateToAnyone, options.exposeHostStateToAnyone)
        guard try read.isOn(.reportLocal, options.reportLocal) else {
            let given = [
                (Setting.localToken.flagAndVariable, read.isGiven(.localToken, options.localToken)),
                (Setting.localAllow.flagAndVariable, read.isGiven(.localAllow, options.localAllow)),
                (Setting.localCorsOrigins.flagAndVariable, read.isGiven(.localCorsOrigins, options.localCorsOrigins)),
                (Setting.localHosts.flagAndVariable, read.isGiven(.localHosts, options.localHosts)),
                (Setting.scanMaxAge.flagAndVariable, read.isGiven(.scanMaxAge, options.scanMaxAge)),
                (Setting.exposeHostStateToAnyone.flagAndVariable, exposed),
            ]
            if let (setting, _) = given.first(where: \.1) {
                let reportLocal = Setting.reportLocal
                throw ValidationError("""
                    \(setting) is a setting of local-host reporting, which is off: add \(reportLocal.flag) \
                    (\(reportLocal.variableUsage)), or drop it
                    """)
            }
            return (nil, false)
        }
        let networks = try read.list(.localAllow, options.localAllow).map { text in
            guard let network = IPNetwork(text) else {
                throw ValidationError("\(Setting.localAllow.flagAndVariable): '\(text)' is not an IPv4 or IPv6 network such as 192.0.2.0/24")
            }
            return network
        }
        let origins = read.list(.localCorsOrigins, options.localCorsOrigins)
        if origins.contains("*") {
            throw ValidationError("\(Setting.localCorsOrigins.flagAndVariable) cannot be *: host state goes only to the origins named")
        }
        let hostNames = read.list(.localHosts, options.localHosts)
        if let bad = hostNames.first(where: { !isHostName($0) }) {
            throw ValidationError("\(Setting.localHosts.flagAndVariable): '\(bad)' is not a host name such as portinfo.example.com")
        }
        let token = read.text(.localToken, options.localToken).nonEmpty
        let openToAnyone = token == nil && networks.isEmpty && !isLoopback(host)
        if openToAnyone && !exposed {
            throw ValidationError("""
                \(Setting.reportLocal.flag) on \(host), which is not loopback, would show this host's processes, users and \
                ports to anyone who can reach it: require a token (\(Setting.localToken.variable), or \(Setting.localToken.flag)), \
                allow only some networks (\(Setting.localAllow.flag) CIDR,...), or listen on loopback (\(Setting.host.flag) \
                127.0.0.1); to serve them to anyone after all, add \(Setting.exposeHostStateToAnyone.flag)
                """)
        }
        let reporting = LocalReporting(token: token, allowedNetworks: networks, allowedOrigins: origins, allowedHostNames: hostNames,
                                       scanMaxAge: .seconds(try read(.scanMaxAge, options.scanMaxAge)))
        return (reporting, openToAnyone)
    }

    /// Whether `host`, as --host takes it, is a loopback address (or localhost): only this host can reach it.
    private static func isLoopback(_ host: String) -> Bool {
        host.caseInsensitiveEquals("localhost") || ["127.0.0.0/8", "::1"].contains { IPNetwork($0)!.contains(host) }
    }

    /// Letters, digits, `-`, `_` and dots: what DNS names are made of.
    private static func isHostName(_ text: String) -> Bool {
        text.utf8.allSatisfy { byte in
            ASCII.isLetter(byte) || ASCII.isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }
}
