import ArgumentParser
import Basics
import CoreMetrics
import Dispatch
import FoundationEssentials
import HTTPServer
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

    @OptionGroup var options: ServeOptions

    func run() throws {
        // Every setting is read and checked before any work: a mistake costs no seed.
        let settings = try ServeSettings(options, environment: ProcessInfo.processInfo.environment)
        LoggingSystem.bootstrap { label in settings.logFormat.handler(label: label, level: settings.logLevel) }
        let logger = Logger(label: "portinfo")
        if settings.exposesHostStateToAnyone {
            logger.warning("\(Setting.exposeHostStateToAnyone.flag): anyone who reaches \(settings.server.host) sees this host's processes, users and ports")
        }

        var registry = settings.api
        registry.accessLog = settings.accessLog ? Logger(label: "access") : nil
        registry.fallbackImage = try seedIfNeeded(from: settings.seedCSV, into: registry.databasePath, logger: logger)
        // Whatever else in the process records through swift-metrics shows on /metrics beside the API's own.
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry.metricsRegistry))
        let api = try PortInfoAPI(configuration: registry)
        Self.raiseDescriptorLimit(toServe: settings.server.limits.maxConnections, logger: logger)
        let server = try HTTPServer(configuration: settings.server, logger: logger, delegate: api.serverDelegate, handler: api.handle)

        let stopped = DispatchSemaphore(value: 0)
        let sources = stopGracefully(server, signalling: stopped, logger: logger) + watchRegistry(api, logger: logger)
        try server.start()
        logger.info("\(Self.startLine(server, api, registry))")
        stopped.wait()
        sources.forEach { $0.cancel() }
        logger.info("stopped")
    }

    /// On SIGTERM or SIGINT, shuts the server down (requests in flight get the grace period) and
    /// signals `stopped`.
    private func stopGracefully(_ server: HTTPServer, signalling stopped: DispatchSemaphore,
                                logger: Logger) -> [any DispatchSourceProtocol] {
        [SIGTERM, SIGINT].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                logger.info("signal \(signalNumber): stopping; requests in flight may take up to \(server.configuration.limits.shutdownGracePeriod)")
                server.shutDown()
                stopped.signal()
            }
            source.resume()
            return source
        }
    }

    /// What is served, from where, and how old it is.
    private static func startLine(_ server: HTTPServer, _ api: PortInfoAPI, _ registry: APIConfiguration) -> String {
        let threads = server.configuration.workerThreads
        let metadata = api.servedRegistry
        let age = RegistryAge(metadata).map { ", \($0.seconds() / 86_400) days old" } ?? ""
        return """
            portinfo \(PortInfo.version) listening on \(server.configuration.host) port \(server.port) with \(threads) I/O \
            \(threads == 1 ? "thread" : "threads"); registry \(registry.fallbackImage == nil ? registry.databasePath : "in memory"): \
            \(metadata.recordCount) records from \(metadata.source), newest IANA date \(metadata.newestIANADate ?? "none")\(age)
            """
    }

    /// Seeds the database when asked to (`--csv`, when it changed), or when there is none: the
    /// built-in snapshot, into --db when that can be written; else returns it, for the API to
    /// serve from memory.
    private func seedIfNeeded(from csv: String?, into path: String, logger: Logger) throws -> RegistryImage? {
        if let csv {
            let report = try Seeder(targetPath: path).seed(try .file(csv))
            logger.info("\(report.summary)")
            return nil
        }
        guard access(path, F_OK) != 0 else { return nil }
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) }.flatMap(\.nonEmpty) ?? "."
        // A folder that cannot be written is known before the snapshot is built: build it once.
        if options.database.makeDefaultFolder(), access(folder, W_OK) == 0 {
            do {
                let report = try Seeder(targetPath: path).seed(.builtIn())
                logger.notice("no registry database at \(path): seeded the \(BuiltInSnapshot.sourceName) (\(report.metadata.recordCount) records)")
                return nil
            } catch {
                logger.notice("no registry database at \(path), and it cannot be made (\(error))")
            }
        } else {
            logger.notice("no registry database at \(path), and \(folder) cannot be written")
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

    /// Each connection takes a file descriptor: lift the soft limit as far as the hard one allows.
    private static func raiseDescriptorLimit(toServe connections: Int, logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if Int(limit.rlim_cur) < connections + 64 {
            logger.warning("only \(limit.rlim_cur) file descriptors allowed: fewer than \(Setting.maxConnections.flag) \(connections) can be served")
        }
    }
}
