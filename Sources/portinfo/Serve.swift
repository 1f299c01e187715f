import ArgumentParser
import Basics
import CoreMetrics
import Dispatch
import HTTPServer
import HostState
import Logging
import PortInfoAPI
import Prometheus
import Registry
import Glibc

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the registry over HTTP: /ports/{port}, /services/{name}, /search, /registry, /healthz, /openapi.yaml, /metrics.",
        discussion: """
            Every option can also be set by the environment variable named in its help; an option \
            given on the command line wins. SIGTERM or SIGINT stops the server gracefully: it stops \
            accepting, finishes the requests in flight, and exits 0.
            """
    )

    @Option(help: "Address to listen on; :: is every IPv6 and IPv4 address. (env PORTINFO_HOST, default ::)")
    var host: String?

    @Option(help: "TCP port to listen on. (env PORTINFO_PORT, default 8080)")
    var port: Int?

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp(
        "Seed the database first from this IANA CSV (or - for standard input) when it is missing or was seeded from a different CSV. Without it and without a database, the built-in snapshot is seeded there (or served from memory when the path cannot be written). (env PORTINFO_CSV)",
        valueName: "file|-"))
    var csv: String?

    @Option(help: ArgumentHelp(
        "A site's own port assignments, served beside IANA's records (and watched like the database): a CSV with IANA's column names. (env PORTINFO_SITE_PORTS)",
        valueName: "file"))
    var sitePorts: String?

    @Option(help: "Origins allowed to read registry answers from a browser, comma-separated, or *. (env PORTINFO_CORS_ORIGINS, default *)")
    var corsOrigins: String?

    @Option(help: "Cache-Control max-age of registry answers, in seconds. (env PORTINFO_CACHE_MAX_AGE, default 3600)")
    var cacheMaxAge: Int?

    @Flag(help: "Report this host's listening sockets (/listeners, /free-ports, listeners in /ports answers): they show process names to whoever may ask, so on an address other than loopback it needs --local-token or --local-allow. (env PORTINFO_REPORT_LOCAL=1; default off)")
    var reportLocal = false

    @Option(help: "With --report-local: require Authorization: Bearer TOKEN for local-host reports (401 otherwise). Prefer the variable: a flag shows in ps. (env PORTINFO_LOCAL_TOKEN)")
    var localToken: String?

    @Option(help: "With --report-local: only clients in these networks (CIDR, comma-separated) may see local-host reports (403 otherwise). (env PORTINFO_LOCAL_ALLOW; default any)")
    var localAllow: String?

    @Option(help: "With --report-local: origins whose pages may read local-host reports, comma-separated. (env PORTINFO_LOCAL_CORS_ORIGINS; default none)")
    var localCorsOrigins: String?

    @Option(help: "With --report-local and no token: host names, comma-separated, that requests for local-host reports may be addressed to, beside IP addresses and localhost (403 otherwise; against DNS rebinding). (env PORTINFO_LOCAL_HOSTS; default none)")
    var localHosts: String?

    @Option(help: "With --report-local: seconds one scan of the host's sockets answers for; 0 scans for every request. (env PORTINFO_SCAN_MAX_AGE, default 1)")
    var scanMaxAge: Double?

    @Flag(help: "With --report-local on an address other than loopback: serve host state with neither token nor allow-list, to anyone who reaches the server. (env PORTINFO_EXPOSE_HOST_STATE_TO_ANYONE=1; default off: refused)")
    var exposeHostStateToAnyone = false

    @Option(help: "Threads that run SQLite queries and /proc scans, off the threads answering connections. (env PORTINFO_QUERY_THREADS, default: two per processor)")
    var queryThreads: Int?

    @Option(help: "Requests that may wait for a query thread; more are answered 503 with Retry-After. (env PORTINFO_QUERY_QUEUE, default 1024)")
    var queryQueue: Int?

    @Option(help: "Seconds one SQLite statement may take in all, waits for a processor included; one that takes longer (or more than 0.25 s of CPU time) is stopped and answered 503 with Retry-After. (env PORTINFO_QUERY_TIME_BUDGET, default 2)")
    var queryTimeBudget: Double?

    @Option(help: "Largest registry database file loaded, in bytes; a larger one is refused unread. (env PORTINFO_MAX_DATABASE_SIZE, default 67108864: 64 MiB)")
    var maxDatabaseSize: Int?

    @Option(help: "Connections open at once; more are answered 503. (env PORTINFO_MAX_CONNECTIONS, default 4096)")
    var maxConnections: Int?

    @Option(help: "Connections one client address may hold open at once; more are answered 503. (env PORTINFO_MAX_CONNECTIONS_PER_CLIENT, default 256)")
    var maxConnectionsPerClient: Int?

    @Option(help: "Pending connections the kernel may queue. (env PORTINFO_BACKLOG, default 511)")
    var backlog: Int32?

    @Option(help: "Threads serving connections: reading, writing, and answering what is in memory. (env PORTINFO_WORKER_THREADS, default: one per processor this process may use, by its CPU affinity and cgroup CPU limit)")
    var workerThreads: Int?

    @Option(help: "Longest request line in bytes; longer is 414. (env PORTINFO_MAX_REQUEST_LINE, default 8192)")
    var maxRequestLine: Int?

    @Option(help: "Largest header section in bytes; larger is 431. (env PORTINFO_MAX_HEADER_SIZE, default 16384)")
    var maxHeaderSize: Int?

    @Option(help: "Most header fields in a request; more is 431. (env PORTINFO_MAX_HEADER_COUNT, default 100)")
    var maxHeaderCount: Int?

    @Option(help: "Largest request body read (and discarded) in bytes; larger is 413. (env PORTINFO_MAX_BODY_SIZE, default 8192)")
    var maxBodySize: Int?

    @Option(help: "Seconds a client has to send a request's header section; slower is 408. (env PORTINFO_HEADER_TIMEOUT, default 10)")
    var headerTimeout: Double?

    @Option(help: "Seconds an idle kept-alive connection stays open. (env PORTINFO_IDLE_TIMEOUT, default 60)")
    var idleTimeout: Double?

    @Option(help: "Seconds a client may take none of the answer waiting for it before its connection is closed. (env PORTINFO_WRITE_TIMEOUT, default 30)")
    var writeTimeout: Double?

    @Option(help: "Requests answered on one connection before it is closed. (env PORTINFO_MAX_REQUESTS_PER_CONNECTION, default 10000)")
    var maxRequestsPerConnection: Int?

    @Option(help: "Seconds requests in flight get to finish on shutdown. (env PORTINFO_SHUTDOWN_GRACE, default 10)")
    var shutdownGrace: Double?

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical. (env PORTINFO_LOG_LEVEL, default info)")
    var logLevel: Logger.Level?

    @Option(help: "Log format: text (for people) or json (one object a line). (env PORTINFO_LOG_FORMAT, default text)")
    var logFormat: LogFormat?

    @Option(help: "Log a line per request: on or off (off for benchmarks). (env PORTINFO_ACCESS_LOG, default on)")
    var accessLog: Switch?

    func run() throws {
        let format = try EnvironmentDefault.resolve(logFormat, "PORTINFO_LOG_FORMAT", default: .text)
        let level = try EnvironmentDefault.resolve(logLevel, "PORTINFO_LOG_LEVEL", default: .info)
        LoggingSystem.bootstrap { label in format.handler(label: label, level: level) }
        let logger = Logger(label: "portinfo")

        // Every setting is read and checked before any work: a mistake costs no seed.
        let configuration = try serverConfiguration()
        let metricsRegistry = PrometheusCollectorRegistry()
        let apiConfiguration = APIConfiguration(
            databasePath: database.path,
            sitePortsPath: try EnvironmentDefault.resolve(sitePorts, "PORTINFO_SITE_PORTS", default: "").nonEmpty,
            allowedOrigins: EnvironmentDefault.list(try EnvironmentDefault.resolve(corsOrigins, "PORTINFO_CORS_ORIGINS", default: "*")),
            cacheMaxAge: try EnvironmentDefault.integer(cacheMaxAge, "PORTINFO_CACHE_MAX_AGE", option: "--cache-max-age",
                                                        default: 3600, in: 0...Int.max),
            localReporting: try localReporting(listeningOn: configuration.host, logger: logger),
            queryThreads: try EnvironmentDefault.integer(queryThreads, "PORTINFO_QUERY_THREADS", option: "--query-threads",
                                                         default: APIConfiguration.defaultQueryThreads, in: 1...Self.maximumQueryThreads),
            queryQueueLength: try EnvironmentDefault.integer(queryQueue, "PORTINFO_QUERY_QUEUE", option: "--query-queue",
                                                             default: APIConfiguration.defaultQueryQueueLength, in: 1...Int.max),
            queryTimeBudget: try EnvironmentDefault.seconds(queryTimeBudget, "PORTINFO_QUERY_TIME_BUDGET", option: "--query-time-budget",
                                                            default: RegistryStore.defaultStatementBudget.wall / .seconds(1)),
            maximumDatabaseBytes: try EnvironmentDefault.integer(maxDatabaseSize, "PORTINFO_MAX_DATABASE_SIZE", option: "--max-database-size",
                                                                 default: RegistryLoad.defaultMaximumDatabaseBytes, in: Self.databaseSizes),
            metricsRegistry: metricsRegistry,
            accessLog: try EnvironmentDefault.resolve(accessLog, "PORTINFO_ACCESS_LOG", default: .on) == .on ? Logger(label: "access") : nil)

        var registry = apiConfiguration
        registry.fallbackImage = try seedIfNeeded(logger: logger)
        // Whatever else in the process records through swift-metrics shows on /metrics beside the API's own.
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metricsRegistry))
        let api = try PortInfoAPI(configuration: registry)
        Self.raiseDescriptorLimit(toServe: configuration.limits.maxConnections, logger: logger)

        let server = try HTTPServer(configuration: configuration, logger: logger, delegate: api.serverDelegate, handler: api.handle)
        let stopped = DispatchSemaphore(value: 0)
        let signalSources = [SIGTERM, SIGINT].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                logger.info("signal \(signalNumber): stopping; requests in flight may take up to \(configuration.limits.shutdownGracePeriod)")
                server.shutDown()
                stopped.signal()
            }
            source.resume()
            return source
        }
        let watching = watchRegistry(api, logger: logger)
        try server.start()
        let metadata = api.servedRegistry
        let age = RegistryAge(metadata).map { ", \($0.seconds() / 86_400) days old" } ?? ""
        logger.info("""
            portinfo \(PortInfo.version) listening on \(configuration.host) port \(server.port) with \(configuration.workerThreads) I/O \(configuration.workerThreads == 1 ? "thread" : "threads"); registry \
            \(registry.fallbackImage == nil ? database.path : "in memory"): \(metadata.recordCount) records from \(metadata.source), \
            newest IANA date \(metadata.newestIANADate ?? "none")\(age)
            """)
        stopped.wait()
        signalSources.forEach { $0.cancel() }
        watching.forEach { $0.cancel() }
        logger.info("stopped")
    }

    /// Seeds the database when asked to (`--csv`, when it changed), or when there is none: the
    /// built-in snapshot, into --db when that can be written; else returns it, for the API to
    /// serve from memory.
    private func seedIfNeeded(logger: Logger) throws -> RegistryImage? {
        if let csv = try EnvironmentDefault.resolve(csv, "PORTINFO_CSV", default: "").nonEmpty {
            let report = try Seeder(targetPath: database.path).seed(try .file(csv))
            logger.info("\(report.summary)")
            return nil
        }
        guard access(database.path, F_OK) != 0 else { return nil }
        let folder = database.path.lastIndex(of: "/").map { String(database.path[..<$0]) }.flatMap(\.nonEmpty) ?? "."
        // A folder that cannot be written is known before the snapshot is built: build it once.
        if database.makeDefaultFolder(), access(folder, W_OK) == 0 {
            do {
                let report = try Seeder(targetPath: database.path).seed(.builtIn())
                logger.notice("no registry database at \(database.path): seeded the \(BuiltInSnapshot.sourceName) (\(report.metadata.recordCount) records)")
                return nil
            } catch {
                logger.notice("no registry database at \(database.path), and it cannot be made (\(error))")
            }
        } else {
            logger.notice("no registry database at \(database.path), and \(folder) cannot be written")
        }
        logger.notice("serving the \(BuiltInSnapshot.sourceName) from memory")
        return try Seeder.image(of: .builtIn()).0
    }

    /// Every `registryCheckInterval`, and on SIGHUP (forced), lets the API look for a new
    /// registry (a re-seed, a replaced or damaged database, a changed site file), on a queue of
    /// its own: no request waits for it.
    private func watchRegistry(_ api: PortInfoAPI, logger: Logger) -> [any DispatchSourceProtocol] {
        let queue = DispatchQueue(label: "portinfo.registry-watch")
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { api.checkRegistry() }
        timer.schedule(deadline: .now() + Self.registryCheckInterval.dispatchInterval, repeating: Self.registryCheckInterval.dispatchInterval)
        timer.resume()
        signal(SIGHUP, SIG_IGN)
        let hangUp = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        hangUp.setEventHandler {
            logger.info("SIGHUP: checking the registry database")
            api.checkRegistry(force: true)
        }
        hangUp.resume()
        return [timer, hangUp]
    }

    /// How soon a re-seed is served: a stat(2) and 28 bytes read, once a second.
    static let registryCheckInterval: Duration = .seconds(1)

    /// More query threads than this would each hold a database connection for no gain.
    static let maximumQueryThreads = 256

    /// A registry of a few records takes some 100 KB; past 1 GiB, a load's copies would take
    /// gigabytes of memory.
    static let databaseSizes = (64 << 10)...(1 << 30)

    /// Where and how to listen, and the HTTP layer's limits.
    private func serverConfiguration() throws -> HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration()
        configuration.host = try EnvironmentDefault.resolve(host, "PORTINFO_HOST", default: configuration.host)
        configuration.port = try EnvironmentDefault.integer(port, "PORTINFO_PORT", option: "--port", default: configuration.port, in: 0...65535)
        configuration.backlog = try EnvironmentDefault.integer(backlog, "PORTINFO_BACKLOG", option: "--backlog",
                                                               default: configuration.backlog, in: 0...Int32.max)
        configuration.workerThreads = try EnvironmentDefault.integer(workerThreads, "PORTINFO_WORKER_THREADS", option: "--worker-threads",
                                                                     default: UsableProcessors.count(), in: 1...Int.max)
        var limits = HTTPLimits()
        limits.maxConnections = try EnvironmentDefault.integer(maxConnections, "PORTINFO_MAX_CONNECTIONS", option: "--max-connections",
                                                               default: limits.maxConnections, in: 1...Int.max)
        limits.maxConnectionsPerClient = try EnvironmentDefault.integer(
            maxConnectionsPerClient, "PORTINFO_MAX_CONNECTIONS_PER_CLIENT", option: "--max-connections-per-client",
            default: limits.maxConnectionsPerClient, in: 1...Int.max)
        limits.maxRequestLineLength = try EnvironmentDefault.integer(maxRequestLine, "PORTINFO_MAX_REQUEST_LINE", option: "--max-request-line",
                                                                     default: limits.maxRequestLineLength, in: 1...Int.max)
        limits.maxHeaderSectionSize = try EnvironmentDefault.integer(maxHeaderSize, "PORTINFO_MAX_HEADER_SIZE", option: "--max-header-size",
                                                                     default: limits.maxHeaderSectionSize, in: 1...Int.max)
        limits.maxHeaderCount = try EnvironmentDefault.integer(maxHeaderCount, "PORTINFO_MAX_HEADER_COUNT", option: "--max-header-count",
                                                               default: limits.maxHeaderCount, in: 1...Int.max)
        limits.maxBodySize = try EnvironmentDefault.integer(maxBodySize, "PORTINFO_MAX_BODY_SIZE", option: "--max-body-size",
                                                            default: limits.maxBodySize, in: 0...Int.max)
        limits.maxRequestsPerConnection = try EnvironmentDefault.integer(
            maxRequestsPerConnection, "PORTINFO_MAX_REQUESTS_PER_CONNECTION", option: "--max-requests-per-connection",
            default: limits.maxRequestsPerConnection, in: 1...Int.max)
        limits.headerTimeout = try EnvironmentDefault.seconds(headerTimeout, "PORTINFO_HEADER_TIMEOUT", option: "--header-timeout", default: 10)
        limits.idleTimeout = try EnvironmentDefault.seconds(idleTimeout, "PORTINFO_IDLE_TIMEOUT", option: "--idle-timeout", default: 60)
        limits.writeTimeout = try EnvironmentDefault.seconds(writeTimeout, "PORTINFO_WRITE_TIMEOUT", option: "--write-timeout", default: 30)
        limits.shutdownGracePeriod = try EnvironmentDefault.seconds(shutdownGrace, "PORTINFO_SHUTDOWN_GRACE", option: "--shutdown-grace",
                                                                    default: 10)
        configuration.limits = limits
        return configuration
    }

    /// The local-host reporting settings, or nil when it stays off. Refuses settings that would
    /// do nothing (a local option without --report-local), and host state served to anyone on
    /// the network unless the operator says so in as many words.
    private func localReporting(listeningOn host: String, logger: Logger) throws -> LocalReporting? {
        let exposed = try EnvironmentDefault.flag(exposeHostStateToAnyone, "PORTINFO_EXPOSE_HOST_STATE_TO_ANYONE")
        guard try EnvironmentDefault.flag(reportLocal, "PORTINFO_REPORT_LOCAL") else {
            let given = [
                ("--local-token (PORTINFO_LOCAL_TOKEN)", EnvironmentDefault.isGiven(localToken, "PORTINFO_LOCAL_TOKEN")),
                ("--local-allow (PORTINFO_LOCAL_ALLOW)", EnvironmentDefault.isGiven(localAllow, "PORTINFO_LOCAL_ALLOW")),
                ("--local-cors-origins (PORTINFO_LOCAL_CORS_ORIGINS)", EnvironmentDefault.isGiven(localCorsOrigins, "PORTINFO_LOCAL_CORS_ORIGINS")),
                ("--local-hosts (PORTINFO_LOCAL_HOSTS)", EnvironmentDefault.isGiven(localHosts, "PORTINFO_LOCAL_HOSTS")),
                ("--scan-max-age (PORTINFO_SCAN_MAX_AGE)", EnvironmentDefault.isGiven(scanMaxAge, "PORTINFO_SCAN_MAX_AGE")),
                ("--expose-host-state-to-anyone (PORTINFO_EXPOSE_HOST_STATE_TO_ANYONE)", exposed),
            ]
            if let (option, _) = given.first(where: \.1) {
                throw ValidationError("\(option) is a setting of local-host reporting, which is off: add --report-local (PORTINFO_REPORT_LOCAL=1), or drop it")
            }
            return nil
        }
        let networks = try EnvironmentDefault.list(EnvironmentDefault.resolve(localAllow, "PORTINFO_LOCAL_ALLOW", default: ""))
            .map { text in
                guard let network = IPNetwork(text) else {
                    throw ValidationError("--local-allow (PORTINFO_LOCAL_ALLOW): '\(text)' is not an IPv4 or IPv6 network such as 192.0.2.0/24")
                }
                return network
            }
        let origins = EnvironmentDefault.list(try EnvironmentDefault.resolve(localCorsOrigins, "PORTINFO_LOCAL_CORS_ORIGINS", default: ""))
        if origins.contains("*") {
            throw ValidationError("--local-cors-origins (PORTINFO_LOCAL_CORS_ORIGINS) cannot be *: host state goes only to the origins named")
        }
        let hostNames = EnvironmentDefault.list(try EnvironmentDefault.resolve(localHosts, "PORTINFO_LOCAL_HOSTS", default: ""))
        if let bad = hostNames.first(where: { !Self.isHostName($0) }) {
            throw ValidationError("--local-hosts (PORTINFO_LOCAL_HOSTS): '\(bad)' is not a host name such as portinfo.example.com")
        }
        let token = try EnvironmentDefault.resolve(localToken, "PORTINFO_LOCAL_TOKEN", default: "").nonEmpty
        if token == nil && networks.isEmpty && !Self.isLoopback(host) {
            guard exposed else {
                throw ValidationError("""
                    --report-local on \(host), which is not loopback, would show this host's processes, users and ports \
                    to anyone who can reach it: require a token (PORTINFO_LOCAL_TOKEN, or --local-token), allow only \
                    some networks (--local-allow CIDR,...), or listen on loopback (--host 127.0.0.1); to serve them \
                    to anyone after all, add --expose-host-state-to-anyone
                    """)
            }
            logger.warning("--expose-host-state-to-anyone: anyone who reaches \(host) sees this host's processes, users and ports")
        }
        return LocalReporting(
            token: token,
            allowedNetworks: networks,
            allowedOrigins: origins,
            allowedHostNames: hostNames,
            scanMaxAge: try EnvironmentDefault.seconds(scanMaxAge, "PORTINFO_SCAN_MAX_AGE", option: "--scan-max-age", default: 1,
                                                       zeroAllowed: true))
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

    /// Each connection takes a file descriptor: lift the soft limit as far as the hard one allows.
    private static func raiseDescriptorLimit(toServe connections: Int, logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if Int(limit.rlim_cur) < connections + 64 {
            logger.warning("only \(limit.rlim_cur) file descriptors allowed: fewer than --max-connections \(connections) can be served")
        }
    }
}

/// `on` or `off`.
enum Switch: String, ExpressibleByArgument, CaseIterable {
    case on, off
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
