import Basics
import HTTPServer
import HostState
import Logging
import PortInfoPages
import PortInfoReports
import Registry
import Synchronization

/// The portinfo HTTP API, as openapi.yaml describes it: turns each request into its answer from
/// the registry and, when configured, the host's state, through the route it names (RouteTable).
/// Called on the HTTP server's I/O threads: what it can answer from memory (kept `/ports`
/// answers, `/registry`, `/healthz`, the spec, `/metrics`, preflights, refusals decided before
/// any query) it answers there; whatever touches SQLite or /proc it hands to its query threads
/// (QueryThreadPool), which answer through the responder. Every answer leaves through the
/// FinishingStage, and the server's delegate (`serverDelegate`) observes each once.
public final class PortInfoAPI: Sendable {
    public let configuration: APIConfiguration
    let queries: QueryThreadPool
    let finishing: FinishingStage
    /// The registry served now, and the files it comes from.
    let registry: RegistryWatcher
    let metrics: PortInfoMetrics
    let logger = Logger(label: "portinfo.api")
    /// Local-host reporting, when configured: who may see it, and the scanner of the host's sockets.
    let localHost: (rules: LocalAccessRules, scanner: ListenerScanner)?
    /// This host's name, as `/listeners` answers say.
    let hostName: String
    let openAPISpecBody = Array(OpenAPISpec.text.utf8)
    let widgetTag = EntityTag(digestOf: Widget.script, format: .compact)

    /// Socket table lines a scan cannot read recur with every scan: one log line a minute tells.
    static let malformedLinesLogInterval: Duration = .seconds(60)

    /// Loads the registry database (and the site file) whole into memory, or, with no database,
    /// serves `configuration.fallbackImage`; fails with a RegistryError when there is neither, or
    /// when the database is not a complete registry of this binary's schema, or a
    /// PortInfoAPIError. A database SQLite's quick_check finds damaged is served, and fails
    /// /healthz. The registry watcher (`checkRegistry`) takes new registries from then on.
    public init(configuration: APIConfiguration) throws {
        guard configuration.cacheMaxAge >= 0 else { throw PortInfoAPIError.negativeCacheMaxAge(configuration.cacheMaxAge) }
        guard configuration.queryThreads >= 1, configuration.queryQueueLength >= 1 else {
            throw PortInfoAPIError.invalidQueryPoolSize(threads: configuration.queryThreads, queueLength: configuration.queryQueueLength)
        }
        guard configuration.queryTimeBudget > .zero else { throw PortInfoAPIError.nonPositiveQueryTimeBudget(configuration.queryTimeBudget) }
        guard configuration.maximumDatabaseBytes > 0 else {
            throw PortInfoAPIError.nonPositiveMaximumDatabaseSize(configuration.maximumDatabaseBytes)
        }
        self.configuration = configuration
        let queries = try QueryThreadPool(threads: configuration.queryThreads, queueLength: configuration.queryQueueLength,
                                          name: "portinfo-query")
        self.queries = queries
        let metrics = PortInfoMetrics(registry: configuration.metricsRegistry, scansListeners: configuration.localReporting != nil,
                                      waitingQueries: { queries.waitingJobs })
        self.metrics = metrics
        finishing = FinishingStage(
            registryCORS: CORSPolicy(allowedOrigins: configuration.allowedOrigins),
            hostStateCORS: CORSPolicy(onlyOrigins: configuration.localReporting?.allowedOrigins ?? []),
            cacheMaxAge: configuration.cacheMaxAge)
        if let settings = configuration.localReporting {
            let logger = logger, throttle = Mutex(ThrottledReport(interval: Self.malformedLinesLogInterval))
            let scanner = ListenerScanner(maxAge: settings.scanMaxAge, scanTook: { metrics.listenerScanned(in: $0) },
                                          skippedLines: { malformed in
                metrics.listenerLinesSkipped(malformed.count)
                if throttle.withLock({ $0.record() }) != nil {
                    logger.warning("a scan of the host's sockets left out lines it could not read", metadata: [
                        "lines": "\(malformed.count)", "first": "\(malformed.first.map(String.init(describing:)) ?? "")"])
                }
            })
            localHost = (LocalAccessRules(settings), scanner)
        } else {
            localHost = nil
        }
        hostName = LocalHostReport.hostName
        registry = try RegistryWatcher(configuration: configuration, scanner: localHost?.scanner, metrics: metrics)
    }

    /// What the HTTP server serving this API is to be given as its delegate: it words the server's
    /// own refusals as the API words its problems, and counts and logs every response once.
    public var serverDelegate: some HTTPServerDelegate { APIServerDelegate(api: self) }

    /// Where the registry served now came from.
    public var servedRegistry: RegistryMetadata { registry.generation.metadata }

    /// Looks at the database file and the site file, and when either changed since last time
    /// (or `force`), takes the registry they now hold if it can be served whole (RegistryWatcher).
    /// Call it from one thread at a time (the server calls it every second, and on SIGHUP); it
    /// never holds up a request.
    public func checkRegistry(force: Bool = false) {
        registry.check(force: force)
    }

    /// The answer to `request`, as an `HTTPHandler`: now, or nil when a query thread answers it
    /// later through `responder`. HEAD gets GET's answer, body included, for the server to take
    /// its length from and drop.
    public func handle(_ request: HTTPRequest, _ responder: HTTPResponder) -> HTTPResponse? {
        let generation = registry.generation
        guard let (route, segment) = RouteTable.route(for: request.path) else {
            return finishing.finish(unrouted(request), to: request, generation: generation)
        }
        var context = Answer.Context()
        // Every answer of a route only about this host follows the local-host CORS policy, refusals included.
        if route.hostState == .only && localHost != nil { context.audience = .hostState }
        switch request.method {
        case _ where route.methods.contains(request.method): break
        case "OPTIONS": return finishing.finish(preflight(for: route, request: request, context: context), to: request, generation: generation)
        default:
            let problem = Problem(.methodNotAllowed, """
                \(request.method) is not allowed on \(request.path): the API is read-only and allows \(route.allowedMethods)
                """)
            return finishing.finish(problem.answer(.json(.compact), route: route, context: context), to: request, generation: generation)
        }
        let query = QueryParameters(request.query)
        var routeRequest = RouteRequest(http: request, segment: segment, query: query, generation: generation,
                                        representation: .json(query.contains("pretty") ? .pretty : .compact), context: context)
        let reply: Reply
        do throws(Problem) {
            if route.answers == .jsonOrPage {
                routeRequest.representation = try Representation(query: query, headers: request.headers, consulted: &routeRequest.context.consulted)
            } else if route.answers == .page {
                routeRequest.representation = .html
            }
            reply = try route.handler(self, &routeRequest)
        } catch {
            // A page is HTML for anyone, but what it refuses is a page only for a browser.
            if route.answers == .page {
                routeRequest.representation = Representation(accepting: request.headers, format: routeRequest.format,
                                                             consulted: &routeRequest.context.consulted)
            }
            return finishing.finish(error.answer(routeRequest.representation, route: route, context: routeRequest.context), to: request,
                                    generation: generation)
        }
        switch reply {
        case let .now(answer):
            return finishing.finish(answer, to: request, generation: generation)
        case let .query(work):
            let (representation, context) = (routeRequest.representation, routeRequest.context)
            let queued = queries.submit { [self] in
                let answer: Answer
                do throws(Problem) {
                    answer = try work()
                } catch {
                    answer = error.answer(representation, route: route, context: context)
                }
                responder.respond(finishing.finish(answer, to: request, generation: generation))
            }
            if queued { return nil }
            metrics.queryQueueWasFull()
            let busy = Problem(.serverBusy, "the server has as many queries waiting as it takes; try again in a moment")
            return finishing.finish(busy.answer(representation, route: route, context: context), to: request, generation: generation)
        }
    }

    /// The answer to a path that is no route's: the server's options (`OPTIONS *`), a redirect to
    /// the route's path without its trailing slash, or what the API serves (a page for a browser).
    private func unrouted(_ request: HTTPRequest) -> Answer {
        if request.target == "*" && request.method == "OPTIONS" { return serverOptions() }
        var context = Answer.Context()
        if let routePath = RouteTable.routePath(withoutTrailingSlashOf: request.path) {
            let location = routePath + (request.query.map { "?\($0)" } ?? "")
            return Answer(status: 301, fields: [("Location", String(location))], caching: .unstated, context: context)
        }
        let representation = Representation(accepting: request.headers, format: .compact, consulted: &context.consulted)
        let problem = Problem(.unknownPath, "there is nothing at \(request.path): the API serves \(RouteTable.pathList)")
        return problem.answer(representation, route: nil, context: context)
    }

    /// Whether the request's Origin, if any, is one `--local-cors-origins` lets read host state:
    /// a page of any other origin gets answers without it.
    func originMaySeeHostState(_ request: HTTPRequest) -> Bool {
        request.headers["Origin"].map { finishing.corsPolicy(for: .hostState).lists($0) } ?? true
    }

    /// Runs `query` on a store of `generation`; a failure is logged and answered 503.
    func fromRegistry<Result>(_ generation: RegistryGeneration, _ query: (RegistryStore) throws -> Result) throws(Problem) -> Result {
        do {
            return try generation.stores.withStore(query)
        } catch RegistryError.queryTimedOut {
            // The database answers; this query asked too much of it.
            logger.warning("registry query stopped at its time budget", metadata: ["budget": "\(configuration.statementBudget)"])
            throw Problem(.queryTimedOut, "the query took longer than the server gives one; try again in a moment, or ask for less")
        } catch {
            logger.error("registry query failed", metadata: ["database": "\(configuration.databasePath)", "error": "\(error)"])
            throw Problem(.registryUnavailable, "the registry database did not answer; the server's log says why")
        }
    }

    /// Runs `scan`; a failure (no /proc/net here, an unreadable table) is logged and answered 503.
    func fromHostState<Result>(_ scan: () throws -> Result) throws(Problem) -> Result {
        do {
            return try scan()
        } catch {
            logger.error("reading the host's listening sockets failed", metadata: ["error": "\(error)"])
            throw Problem(.hostStateUnavailable, "the host's listening sockets could not be read; the server's log says why")
        }
    }
}
