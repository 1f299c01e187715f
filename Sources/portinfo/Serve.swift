import ArgumentParser
import CoreMetrics
import Dispatch
import HTTPServer
import HostState
import Logging
import PortInfoAPI
import Prometheus
import Registry
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        "Seed the database first from this IANA CSV (or - for standard input) when it is missing or was seeded from a different CSV. (env PORTINFO_CSV)",
        valueName: "file|-"))
    var csv: String?

    @Option(help: "Origins allowed to read registry answers from a browser, comma-separated, or *. (env PORTINFO_CORS_ORIGINS, default *)")
    var corsOrigins: String?

    @Option(help: "Cache-Control max-age of registry answers, in seconds. (env PORTINFO_CACHE_MAX_AGE, default 3600)")
    var cacheMaxAge: Int?

    @Flag(help: "Report this host's listening sockets (/listeners, /free-ports, listeners in /ports answers): they show process names to whoever may ask. (env PORTINFO_REPORT_LOCAL=1; default off)")
    var reportLocal = false

    @Option(help: "With --report-local: require Authorization: Bearer TOKEN for local-host reports (401 otherwise). Prefer the variable: a flag shows in ps. (env PORTINFO_LOCAL_TOKEN)")
    var localToken: String?

    @Option(help: "With --report-local: only clients in these networks (CIDR, comma-separated) may see local-host reports (403 otherwise). (env PORTINFO_LOCAL_ALLOW; default any)")
    var localAllow: String?

    @Option(help: "With --report-local: origins whose pages may read local-host reports, comma-separated. (env PORTINFO_LOCAL_CORS_ORIGINS; default none)")
    var localCorsOrigins: String?

    @Option(help: "With --report-local: seconds one scan of the host's sockets answers for; 0 scans for every request. (env PORTINFO_SCAN_MAX_AGE, default 1)")
    var scanMaxAge: Double?

    @Option(help: "Connections open at once; more are answered 503. (env PORTINFO_MAX_CONNECTIONS, default 4096)")
    var maxConnections: Int?

    @Option(help: "Pending connections the kernel may queue. (env PORTINFO_BACKLOG, default 511)")
    var backlog: Int32?

    @Option(help: "Threads answering requests. (env PORTINFO_WORKER_THREADS, default: one per processor)")
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

    func validate() throws {
        for (name, value) in [("--port", port), ("--max-connections", maxConnections), ("--max-request-line", maxRequestLine),
                              ("--max-header-size", maxHeaderSize), ("--max-header-count", maxHeaderCount),
                              ("--max-requests-per-connection", maxRequestsPerConnection), ("--worker-threads", workerThreads)] {
            if let value, value < (name == "--port" ? 0 : 1) {
                throw ValidationError("\(name) must be \(name == "--port" ? "0" : "1") or more, got \(value)")
            }
        }
        if let port, port > 65535 { throw ValidationError("--port must be from 0 to 65535, got \(port)") }
    }

    func run() throws {
        let format = try EnvironmentDefault.resolve(logFormat, "PORTINFO_LOG_FORMAT", default: .text)
        let level = try EnvironmentDefault.resolve(logLevel, "PORTINFO_LOG_LEVEL", default: .info)
        LoggingSystem.bootstrap { label in format.handler(label: label, level: level) }
        let logger = Logger(label: "portinfo")

        if let csv = try EnvironmentDefault.resolve(csv, "PORTINFO_CSV", default: "").nonEmpty {
            let report = try Seeder(targetPath: database.path).seed(from: InputFile(path: csv), source: csv, onlyIfChanged: true)
            logger.info("\(report.summary)")
        }

        let origins = try EnvironmentDefault.resolve(corsOrigins, "PORTINFO_CORS_ORIGINS", default: "*")
        let metricsRegistry = PrometheusCollectorRegistry()
        // Whatever else in the process records through swift-metrics shows on /metrics beside the API's own.
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metricsRegistry))
        let api = try PortInfoAPI(configuration: APIConfiguration(
            databasePath: database.path,
            allowedOrigins: EnvironmentDefault.list(origins),
            cacheMaxAge: try EnvironmentDefault.resolve(cacheMaxAge, "PORTINFO_CACHE_MAX_AGE", default: 3600),
            localReporting: try localReporting(),
            metricsRegistry: metricsRegistry))

        var configuration = HTTPServerConfiguration()
        configuration.host = try EnvironmentDefault.resolve(host, "PORTINFO_HOST", default: configuration.host)
        configuration.port = try EnvironmentDefault.resolve(port, "PORTINFO_PORT", default: configuration.port)
        configuration.backlog = try EnvironmentDefault.resolve(backlog, "PORTINFO_BACKLOG", default: configuration.backlog)
        configuration.workerThreads = try EnvironmentDefault.resolve(workerThreads, "PORTINFO_WORKER_THREADS", default: configuration.workerThreads)
        configuration.limits = try limits()
        Self.raiseDescriptorLimit(toServe: configuration.limits.maxConnections, logger: logger)

        let logRequests = try EnvironmentDefault.resolve(accessLog, "PORTINFO_ACCESS_LOG", default: .on) == .on
        let server = try HTTPServer(configuration: configuration, logger: logger,
                                    accessLog: logRequests ? Logger(label: "access") : nil, observer: api.metrics,
                                    handler: api.handle)
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
        server.start()
        let metadata = try RegistryStore(path: database.path).metadata()
        logger.info("portinfo \(PortInfo.version) listening on \(configuration.host) port \(server.port); registry \(database.path): \(metadata.recordCount) records, newest IANA date \(metadata.newestIANADate ?? "none")")
        stopped.wait()
        signalSources.forEach { $0.cancel() }
        logger.info("stopped")
    }

    /// The local-host reporting settings, or nil when it stays off.
    private func localReporting() throws -> LocalReporting? {
        guard try EnvironmentDefault.flag(reportLocal, "PORTINFO_REPORT_LOCAL") else { return nil }
        let networks = try EnvironmentDefault.list(EnvironmentDefault.resolve(localAllow, "PORTINFO_LOCAL_ALLOW", default: ""))
            .map { text in
                guard let network = IPNetwork(text) else {
                    throw ValidationError("--local-allow (PORTINFO_LOCAL_ALLOW): '\(text)' is not an IPv4 or IPv6 network such as 192.0.2.0/24")
                }
                return network
            }
        let scanMaxAge = try EnvironmentDefault.resolve(scanMaxAge, "PORTINFO_SCAN_MAX_AGE", default: 1)
        guard scanMaxAge >= 0 else { throw ValidationError("--scan-max-age must be 0 or more seconds, got \(scanMaxAge)") }
        return LocalReporting(
            token: try EnvironmentDefault.resolve(localToken, "PORTINFO_LOCAL_TOKEN", default: "").nonEmpty,
            allowedNetworks: networks,
            allowedOrigins: EnvironmentDefault.list(try EnvironmentDefault.resolve(localCorsOrigins, "PORTINFO_LOCAL_CORS_ORIGINS", default: "")),
            scanMaxAge: .milliseconds(Int((scanMaxAge * 1000).rounded())))
    }

    private func limits() throws -> HTTPLimits {
        var limits = HTTPLimits()
        limits.maxConnections = try EnvironmentDefault.resolve(maxConnections, "PORTINFO_MAX_CONNECTIONS", default: limits.maxConnections)
        limits.maxRequestLineLength = try EnvironmentDefault.resolve(maxRequestLine, "PORTINFO_MAX_REQUEST_LINE", default: limits.maxRequestLineLength)
        limits.maxHeaderSectionSize = try EnvironmentDefault.resolve(maxHeaderSize, "PORTINFO_MAX_HEADER_SIZE", default: limits.maxHeaderSectionSize)
        limits.maxHeaderCount = try EnvironmentDefault.resolve(maxHeaderCount, "PORTINFO_MAX_HEADER_COUNT", default: limits.maxHeaderCount)
        limits.maxBodySize = try EnvironmentDefault.resolve(maxBodySize, "PORTINFO_MAX_BODY_SIZE", default: limits.maxBodySize)
        limits.maxRequestsPerConnection = try EnvironmentDefault.resolve(
            maxRequestsPerConnection, "PORTINFO_MAX_REQUESTS_PER_CONNECTION", default: limits.maxRequestsPerConnection)
        limits.headerTimeout = try EnvironmentDefault.seconds(headerTimeout, "PORTINFO_HEADER_TIMEOUT", default: 10)
        limits.idleTimeout = try EnvironmentDefault.seconds(idleTimeout, "PORTINFO_IDLE_TIMEOUT", default: 60)
        limits.shutdownGracePeriod = try EnvironmentDefault.seconds(shutdownGrace, "PORTINFO_SHUTDOWN_GRACE", default: 10)
        return limits
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
