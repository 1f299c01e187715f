import Basics
import HTTPServer
import HostState
import PortInfoPages
import Logging
import PortInfoReports
import Registry
import Synchronization

/// The portinfo HTTP API, as openapi.yaml describes it: turns each request into its answer from
/// the registry and, when configured, the host's state. Called on the HTTP server's I/O threads:
/// what it can answer from memory (cached `/ports` answers, `/registry`, `/healthz`, the spec,
/// `/metrics`, preflights, refusals decided before any query) it answers there; whatever touches
/// SQLite or /proc it hands to its query threads (QueryThreadPool), which answer through the
/// responder. Every answer leaves through the FinishingStage.
public final class PortInfoAPI: Sendable {
    public let configuration: APIConfiguration
    private let queries: QueryThreadPool
    private let finishing: FinishingStage
    /// The registry served now, and the files it comes from.
    private let registry: RegistryWatcher
    private let openAPISpecBody = Array(OpenAPISpec.text.utf8)
    private let widgetTag = EntityTag(digestOf: Widget.script, format: .compact)
    /// What the API records, for `/metrics`; give it to the HTTP server as its observer.
    public let metrics: PortInfoMetrics
    private let logger = Logger(label: "portinfo.api")
    /// Local-host reporting, when configured: who may see it, and the scanner of the host's sockets.
    private let localHost: (rules: LocalAccessRules, scanner: ListenerScanner)?
    /// This host's name, as `/listeners` answers say.
    private let hostName: String

    /// A full query queue drains in milliseconds, and a query stopped at its time budget is one
    /// of a burst: a second later is soon enough, and spreads retries.
    static let retryAfterSeconds = 1
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
            cacheMaxAge: configuration.cacheMaxAge, metrics: metrics)
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

    /// The registry served now.
    private var generation: RegistryGeneration { registry.generation }

    /// Where the registry served now came from.
    public var servedRegistry: RegistryMetadata { generation.metadata }

    /// Looks at the database file and the site file, and when either changed since last time
    /// (or `force`), takes the registry they now hold if it can be served whole (RegistryWatcher).
    /// Call it from one thread at a time (the server calls it every second, and on SIGHUP); it
    /// never holds up a request.
    public func checkRegistry(force: Bool = false) {
        registry.check(force: force)
    }

    /// A route's answer: at hand, or to be worked out on a query thread. `context` and
    /// `representation` are the slow answer's, should it fail or find the queue full.
    private enum Reply {
        case ready(Answer)
        /// A cached `/ports` answer, finished before: sent as it is.
        case finished(HTTPResponse)
        /// A cached `/ports` answer to finish, and to keep finished for the next like request.
        case readyToKeep(Answer, PortAnswerCache.Key)
        case slow(context: Answer.Context, representation: Representation, work: @Sendable () throws(Problem) -> Answer)
    }

    /// The answer to `request`, as an `HTTPHandler`: every failure is a problem+json response.
    /// HEAD gets GET's answer, body included, for the server to take its length from and drop.
    public func handle(_ request: HTTPRequest, _ responder: HTTPResponder) -> HTTPResponse? {
        let started = ContinuousClock.now
        let route = Route(path: request.path)
        let template = route?.template
        let generation = generation
        switch reply(to: request, route: route, generation: generation) {
        case let .ready(answer):
            return finishing.finish(answer, to: request, route: template, generation: generation, started: started)
        case let .finished(response):
            metrics.requestAnswered(route: template, method: request.method, status: response.status, duration: ContinuousClock.now - started)
            return response
        case let .readyToKeep(answer, key):
            let response = finishing.finish(answer, to: request, route: template, generation: generation, started: started).withEncodedHead()
            generation.portAnswers.keepFinished(response, for: key)
            return response
        case let .slow(context, representation, work):
            let queued = queries.submit { [self] in
                let answer: Answer
                do throws(Problem) {
                    answer = try work()
                } catch {
                    answer = problemAnswer(error, representation: representation, context: context)
                }
                responder.respond(finishing.finish(answer, to: request, route: template, generation: generation, started: started))
            }
            if queued { return nil }
            metrics.queryQueueWasFull()
            let busy = Problem(.serverBusy, "the server has as many queries waiting as it takes; try again in a moment")
            return finishing.finish(problemAnswer(busy, representation: representation, context: context), to: request, route: template,
                                    generation: generation, started: started)
        }
    }

    private func reply(to request: HTTPRequest, route: Route?, generation: RegistryGeneration) -> Reply {
        var context = Answer.Context()
        guard let route else {
            if request.target == "*" && request.method == "OPTIONS" {
                // The server's own options (RFC 9110, 9.3.7): what every route allows.
                return .ready(Answer(status: 200, fields: [("Allow", Route.allowedMethods)], caching: .unstated, context: context))
            }
            if let routePath = Route.routePath(withoutTrailingSlashOf: request.path) {
                let location = routePath + (request.query.map { "?\($0)" } ?? "")
                return .ready(Answer(status: 301, fields: [("Location", String(location))], caching: .unstated, context: context))
            }
            // A page for a browser, a problem for everyone else.
            let representation = Representation(accepting: request.headers, format: .compact, consulted: &context.consulted)
            return .ready(problemAnswer(Problem(.unknownPath, """
                there is nothing at \(request.path): the API serves /ports/{port}, /services/{name}, /search?q=TEXT, \
                /registry, /registry/changes, /healthz, /openapi.yaml and /widget.js, and the lookup page at /
                """), representation: representation, context: context))
        }
        // Every answer of a local-host route follows the local-host CORS policy, refusals included.
        if route.isLocalHost && localHost != nil { context.audience = .hostState }
        switch request.method {
        case "GET", "HEAD": break
        case "OPTIONS": return .ready(preflight(for: route, request: request, context: context))
        default:
            return .ready(problemAnswer(Problem(.methodNotAllowed, """
                \(request.method) is not allowed on \(request.path): the API is read-only and allows \(Route.allowedMethods)
                """), representation: .json(.compact), context: context))
        }
        let query = QueryParameters(request.query)
        let format: APIJSON.Format = query.contains("pretty") ? .pretty : .compact
        // The routes that have pages answer as Accept asks, and say so in Vary.
        var representation = Representation.json(format)
        if route.hasPages {
            do throws(Problem) {
                representation = try Representation(query: query, headers: request.headers, consulted: &context.consulted)
            } catch {
                return .ready(problemAnswer(error, representation: .json(format), context: context))
            }
        }
        do throws(Problem) {
            switch route {
            case let .port(segment):
                return try portReply(segment, query: query, representation: representation, to: request, generation: generation,
                                     context: &context)
            case let .service(segment):
                return try serviceReply(segment, representation: representation, generation: generation, context: context)
            case .search: return try searchReply(query, representation: representation, generation: generation, context: context)
            case .lookupPage: return try lookupPageReply(query, generation: generation, context: context)
            case .widget:
                return .ready(Answer(status: 200, contentType: Answer.javaScriptContentType, body: Widget.script,
                                     caching: .asset(widgetTag), context: context))
            case .registryChanges: return try changesReply(query, format: format, generation: generation, context: context)
            case .registry:
                let body = format == .pretty ? generation.registryBodies.pretty : generation.registryBodies.compact
                return .ready(.json(body, caching: .registryDescription(format), context: context))
            case .health: return .ready(try healthAnswer(format: format, generation: generation, context: context))
            case .openAPISpec:
                return .ready(Answer(status: 200, contentType: "application/yaml", body: openAPISpecBody, caching: .unstated,
                                     context: context))
            case .metrics:
                return .ready(Answer(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.page(),
                                     caching: .noStore, context: context))
            case .listeners: return try listenersReply(query, format: format, to: request, generation: generation, context: &context)
            case .freePorts: return try freePortsReply(query, format: format, to: request, generation: generation, context: &context)
            }
        } catch {
            // The lookup page is HTML for anyone, but what it refuses is a page only for a browser.
            if route == .lookupPage {
                representation = Representation(accepting: request.headers, format: format, consulted: &context.consulted)
            }
            return .ready(problemAnswer(error, representation: representation, context: context))
        }
    }

    // MARK: Routes

    /// What browsers may send a route (CORS preflight), and `Allow` for anyone. Where host state
    /// may answer, a page may send the token; a `/ports` preflight follows the local-host policy
    /// for the origins it lists, as the answers with listeners will.
    private func preflight(for route: Route, request: HTTPRequest, context: Answer.Context) -> Answer {
        var context = context
        var sendsToken = false
        if localHost != nil {
            if case .port = route {
                sendsToken = true
                context.consulted.insert(.origin)
                if let origin = request.headers["Origin"], finishing.corsPolicy(for: .hostState).lists(origin) {
                    context.audience = .hostState
                }
            } else {
                sendsToken = route.isLocalHost
            }
        }
        return Answer(status: 204, fields: [
            ("Access-Control-Allow-Methods", Route.allowedMethods),
            ("Access-Control-Allow-Headers", sendsToken ? CORSPolicy.allowedRequestHeadersWithToken : CORSPolicy.allowedRequestHeaders),
            ("Access-Control-Max-Age", String(CORSPolicy.preflightMaxAgeSeconds)),
            ("Allow", Route.allowedMethods),
        ], caching: .unstated, context: context)
    }

    private func portReply(_ segment: Substring, query: QueryParameters, representation: Representation, to request: HTTPRequest,
                           generation: RegistryGeneration, context: inout Answer.Context) throws(Problem) -> Reply {
        let port: Int
        if let parsed = PortLookup.port(fromDecimal: segment), segment.utf8.first != UInt8(ascii: "0") || segment.utf8.count == 1 {
            port = parsed // the usual case, without decoding
        } else {
            let text = String(percentDecoding: segment, plusIsSpace: false)
            guard let text, let parsed = PortLookup.port(fromDecimal: text) else {
                throw Problem(.invalidPort, PortLookup.invalidPortMessage(text ?? String(segment)))
            }
            guard String(parsed) == text else {
                let location = "/ports/\(parsed)" + (request.query.map { "?\($0)" } ?? "")
                return .ready(Answer(status: 301, fields: [("Location", location)], caching: .unstated, context: context))
            }
            port = parsed
        }
        let transport = try query.value("transport").map { (name) throws(Problem) in try Self.transport(named: name) }
        var sharedCaches = true
        if let localHost {
            // Whether the answer shows listeners depends on the Origin, and on the token when there is one.
            context.consulted.insert(.origin)
            context.consulted.formUnion(localHost.rules.consulted)
            let refusal = localHost.rules.refusal(of: request)
            if refusal == nil && originMaySeeHostState(request) {
                context.audience = .hostState
                let hostReport = generation.localHostReport!
                return .slow(context: context, representation: representation) { [self, context] () throws(Problem) in
                    // With the host's listeners the answer is live: built each time, never cached.
                    let report = try fromRegistry(generation) { try $0.report(port: port, transport: transport) }
                    // Only TCP and UDP sockets are reported: an SCTP or DCCP question has no listeners.
                    let listenerTransport = transport.map { Listener.Transport(rawValue: $0.rawValue) }
                    let listeners = listenerTransport == .some(nil) ? []
                        : try fromHostState { try hostReport.listeners(transport: listenerTransport ?? nil, port: port) }
                    switch representation {
                    case let .json(format):
                        return .json(APIJSON.portReport(report, listeners: listeners, format: format), caching: .noStore, context: context)
                    case .html:
                        return .html(Self.portPage(report, listeners: listeners), caching: .noStore, context: context)
                    }
                }
            }
            // The client's address is no field a cache could vary on: only its own cache may keep this.
            sharedCaches = refusal != .address
        }
        let key = PortAnswerCache.Key(port: port, transport: transport, representation: representation)
        let caching = Answer.Caching.registry(representation, sharedCaches: sharedCaches)
        if let cached = generation.portAnswers.body(for: key) {
            // With no local-host rules, no Origin and no If-None-Match, nothing but the key decides
            // the response: the same bytes each time.
            guard localHost == nil, request.headers["Origin"] == nil, request.headers["If-None-Match"] == nil else {
                return .ready(.registry(cached, representation, caching: caching, context: context))
            }
            if let finished = generation.portAnswers.finished(for: key) { return .finished(finished) }
            return .readyToKeep(.registry(cached, representation, caching: caching, context: context), key)
        }
        return .slow(context: context, representation: representation) { [self, context] () throws(Problem) in
            let report = try fromRegistry(generation) { try $0.report(port: port, transport: transport) }
            let body = switch representation {
            case let .json(format): APIJSON.portReport(report, format: format)
            case .html: Self.portPage(report, listeners: nil)
            }
            generation.portAnswers.keep(body, for: key)
            return .registry(body, representation, caching: caching, context: context)
        }
    }

    /// The port's page, with what listens on it here when the client may see that.
    private static func portPage(_ report: PortReport, listeners: [LocalHostReport.ServicedListener]?) -> [UInt8] {
        PortPage(report: report, listeners: listeners?.map(\.listener).map {
            PageListener(transport: $0.transport.rawValue, address: $0.address, port: $0.port, pid: $0.pid, process: $0.process, user: $0.user)
        }).rendered()
    }

    /// Whether the request's Origin, if any, is one `--local-cors-origins` lets read host state:
    /// a page of any other origin gets answers without it.
    private func originMaySeeHostState(_ request: HTTPRequest) -> Bool {
        request.headers["Origin"].map { finishing.corsPolicy(for: .hostState).lists($0) } ?? true
    }

    private func serviceReply(_ segment: Substring, representation: Representation, generation: RegistryGeneration,
                              context: Answer.Context) throws(Problem) -> Reply {
        guard let name = String(percentDecoding: segment, plusIsSpace: false) else {
            throw Problem(.invalidEncoding, "the service name is not percent-encoded UTF-8: '\(segment)'")
        }
        guard !name.isEmpty else {
            throw Problem(.invalidParameter, "the service name is empty: ask for /services/NAME")
        }
        return .slow(context: context, representation: representation) { [self] () throws(Problem) in
            let records = try fromRegistry(generation) { try $0.records(named: name) }
            guard !records.isEmpty else {
                throw Problem(.unknownService, """
                    no service is named '\(name)' in the registry (names match whole, in any case); \
                    /search?q=WORDS finds words in names, descriptions and notes
                    """)
            }
            let body = switch representation {
            case let .json(format): APIJSON.serviceAnswer(name: name, records: records, format: format)
            case .html: ServicePage(name: name, records: records).rendered()
            }
            return .registry(body, representation, caching: .registry(representation, sharedCaches: true), context: context)
        }
    }

    private func searchReply(_ query: QueryParameters, representation: Representation, generation: RegistryGeneration,
                             context: Answer.Context) throws(Problem) -> Reply {
        guard let text = try query.value("q") else {
            throw Problem(.invalidParameter, "query parameter 'q' is required: /search?q=WORDS")
        }
        guard !text.isEmpty else {
            throw Problem(.invalidParameter, "query parameter 'q' is empty: give the words to search for, /search?q=WORDS")
        }
        let limit = try query.integer("limit", from: 1, to: RegistryStore.maximumSearchLimit)
            ?? RegistryStore.defaultSearchLimit
        let offset = try query.integer("offset", from: 0) ?? 0
        // The caps are checked here, before any query: a refusal costs no query thread.
        let search: SearchQuery
        do { search = try SearchQuery(text) } catch { throw Problem(.invalidParameter, "query parameter 'q': \(error)") }
        return .slow(context: context, representation: representation) { [self] () throws(Problem) in
            let results = try fromRegistry(generation) { try $0.search(search, limit: limit, offset: offset) }
            let body = switch representation {
            case let .json(format): APIJSON.searchAnswer(query: text, results: results, format: format)
            case .html: SearchPage(query: text, results: results, port: nil, offset: offset, limit: limit).rendered()
            }
            return .registry(body, representation, caching: .registry(representation, sharedCaches: true), context: context)
        }
    }

    /// `/` and `/?q=…`: the lookup page, with what the query finds: the port it names, if it is
    /// one, and the search's best results.
    private func lookupPageReply(_ query: QueryParameters, generation: RegistryGeneration,
                                 context: Answer.Context) throws(Problem) -> Reply {
        // The caps count what was sent, spaces around it included, as /search's do.
        let given = try query.value("q") ?? ""
        let search: SearchQuery
        do { search = try SearchQuery(given) } catch { throw Problem(.invalidParameter, "query parameter 'q': \(error)") }
        let text = Substring(given).trimmingWhitespace()
        guard !text.isEmpty else {
            return .ready(.registry(LookupPage.rendered(), .html, caching: .registry(.html, sharedCaches: true), context: context))
        }
        let port = PortLookup.port(fromDecimal: text)
        return .slow(context: context, representation: .html) { [self] () throws(Problem) in
            let lookup = try port.map { (port) throws(Problem) in try fromRegistry(generation) { try $0.lookup(port: port) } }
            let results = try fromRegistry(generation) { try $0.search(search, limit: RegistryStore.defaultSearchLimit, offset: 0) }
            return .registry(SearchPage(query: text, results: results, port: lookup, offset: 0, limit: RegistryStore.defaultSearchLimit).rendered(),
                             .html, caching: .registry(.html, sharedCaches: true), context: context)
        }
    }

    /// `/registry/changes`: what the seed that made this registry changed in IANA's records.
    private func changesReply(_ query: QueryParameters, format: APIJSON.Format, generation: RegistryGeneration,
                              context: Answer.Context) throws(Problem) -> Reply {
        let limit = try query.integer("limit", from: 1, to: Self.maximumChangesLimit) ?? Self.defaultChangesLimit
        let offset = try query.integer("offset", from: 0) ?? 0
        return .slow(context: context, representation: .json(format)) { [self] () throws(Problem) in
            let changes = try fromRegistry(generation) { try $0.changes(limit: limit, offset: offset) }
            return .json(APIJSON.changesAnswer(changes, metadata: generation.metadata, limit: limit, offset: offset, format: format),
                         caching: .registryChanges(format), context: context)
        }
    }

    /// A page of `/registry/changes` holds at most this many records (a re-seed a year apart
    /// changes some hundreds).
    static let maximumChangesLimit = 1000
    static let defaultChangesLimit = 100

    /// From what the API holds and what its registry watcher last found on disk, never waiting for
    /// either: the registry is served from memory, so only a database damaged when it was loaded
    /// makes it unhealthy; a file that cannot be taken leaves it serving the registry held (degraded).
    private func healthAnswer(format: APIJSON.Format, generation: RegistryGeneration, context: Answer.Context) throws(Problem) -> Answer {
        if generation.damage != nil {
            throw Problem(.registryUnavailable, "the registry database failed SQLite's integrity check when it was loaded: re-seed it")
        }
        let degraded = registry.degradedReason.map { reason in
            "\(reason): serving the registry loaded before, seeded \(generation.metadata.importedAt)"
        }
        return .json(APIJSON.health(degradedBecause: degraded, format: format), caching: .noStore, context: context)
    }

    /// The local-host report, once the request has shown it may see it.
    private func localHostReport(for request: HTTPRequest, generation: RegistryGeneration,
                                 context: inout Answer.Context) throws(Problem) -> LocalHostReport {
        guard let localHost, let report = generation.localHostReport else {
            throw Problem(.localReportingOff, """
                local-host reporting is off: start the server with --report-local (PORTINFO_REPORT_LOCAL=1) \
                to serve /listeners and /free-ports
                """)
        }
        context.consulted.formUnion(localHost.rules.consulted)
        if let refusal = localHost.rules.refusal(of: request) { throw LocalAccessRules.problem(for: refusal, of: request) }
        return report
    }

    private func listenersReply(_ query: QueryParameters, format: APIJSON.Format, to request: HTTPRequest,
                                generation: RegistryGeneration, context: inout Answer.Context) throws(Problem) -> Reply {
        let report = try localHostReport(for: request, generation: generation, context: &context)
        let transport = try query.value("transport").map { (name) throws(Problem) in try Self.listenerTransport(named: name) }
        let port = try query.integer("port", from: PortLookup.validPorts.lowerBound, to: PortLookup.validPorts.upperBound)
        return .slow(context: context, representation: .json(format)) { [self, context, hostName] () throws(Problem) in
            let listeners = try fromHostState { try report.listeners(transport: transport, port: port) }
            return .json(APIJSON.listenersAnswer(host: hostName, listeners: listeners, format: format), caching: .noStore, context: context)
        }
    }

    private func freePortsReply(_ query: QueryParameters, format: APIJSON.Format, to request: HTTPRequest,
                                generation: RegistryGeneration, context: inout Answer.Context) throws(Problem) -> Reply {
        let report = try localHostReport(for: request, generation: generation, context: &context)
        let transport = try query.value("transport").map { (name) throws(Problem) in try Self.listenerTransport(named: name) }
        let range = try query.value("range").map { (name) throws(Problem) -> PortRange in
            guard let range = PortRange(rawValue: name) else {
                throw Problem(.invalidParameter, "query parameter 'range' must be one of system, user, dynamic, got '\(name)'")
            }
            return range
        } ?? .user
        let count = try query.integer("count", from: 1, to: LocalHostReport.maximumFreePortCount)
            ?? LocalHostReport.defaultFreePortCount
        let from = try query.integer("from", from: PortLookup.validPorts.lowerBound, to: PortLookup.validPorts.upperBound)
            ?? range.ports.lowerBound
        return .slow(context: context, representation: .json(format)) { [self, context] () throws(Problem) in
            let ports = try fromHostState { try report.freePorts(in: range.ports, transport: transport, from: from, count: count) }
            return .json(APIJSON.freePortsAnswer(range: range, transport: transport?.rawValue, from: from, ports: ports, format: format),
                         caching: .noStore, context: context)
        }
    }

    // MARK: Parts

    /// Runs `query` on a store of `generation`; a failure is logged and answered 503.
    private func fromRegistry<Result>(_ generation: RegistryGeneration, _ query: (RegistryStore) throws -> Result) throws(Problem) -> Result {
        do {
            return try generation.stores.withStore(query)
        } catch RegistryError.queryTimedOut {
            // The database answers; this query asked too much of it.
            logger.warning("registry query stopped at its time budget", metadata: ["budget": "\(configuration.queryTimeBudget)"])
            throw Problem(.queryTimedOut, "the query took longer than the server gives one; try again in a moment, or ask for less")
        } catch {
            logger.error("registry query failed", metadata: ["database": "\(configuration.databasePath)", "error": "\(error)"])
            throw Problem(.registryUnavailable, "the registry database did not answer; the server's log says why")
        }
    }

    /// Runs `scan`; a failure (no /proc/net here, an unreadable table) is logged and answered 503.
    private func fromHostState<Result>(_ scan: () throws -> Result) throws(Problem) -> Result {
        do {
            return try scan()
        } catch {
            logger.error("reading the host's listening sockets failed", metadata: ["error": "\(error)"])
            throw Problem(.hostStateUnavailable, "the host's listening sockets could not be read; the server's log says why")
        }
    }

    /// `problem` as an answer: its own fields, and `no-store`: a refusal is about this request or
    /// this moment, and no cache may hand it to the next client (404s and 405s are cacheable by default).
    private func problemAnswer(_ problem: Problem, representation: Representation, context: Answer.Context) -> Answer {
        var fields: [(name: String, value: String)] = []
        switch problem.kind {
        case .methodNotAllowed:
            fields.append(("Allow", Route.allowedMethods))
        case .unauthorized:
            fields.append(("WWW-Authenticate", #"Bearer realm="portinfo local-host reports""#))
        case .serverBusy, .queryTimedOut:
            fields.append(("Retry-After", String(Self.retryAfterSeconds)))
        case .registryUnavailable, .hostStateUnavailable, .forbidden, .localReportingOff, .invalidPort, .invalidParameter,
             .invalidEncoding, .unknownPath, .unknownService:
            break
        }
        if representation == .html {
            return Answer(status: problem.kind.status, contentType: Answer.htmlContentType,
                          body: ErrorPage.rendered(status: problem.kind.status, title: problem.kind.title, detail: problem.detail),
                          fields: fields, caching: .noStore, context: context)
        }
        return Answer(status: problem.kind.status, contentType: "application/problem+json",
                      body: APIJSON.problem(type: problem.kind.type, title: problem.kind.title, status: problem.kind.status,
                                                           detail: problem.detail, format: representation.jsonFormat), fields: fields, caching: .noStore, context: context)
    }

    private static func listenerTransport(named name: String) throws(Problem) -> Listener.Transport {
        guard let transport = Listener.Transport(rawValue: name) else {
            throw Problem(.invalidParameter, "query parameter 'transport' must be tcp or udp, got '\(name)'")
        }
        return transport
    }

    private static func transport(named name: String) throws(Problem) -> Record.Transport {
        guard let transport = Record.Transport(rawValue: name) else {
            let names = Record.Transport.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem(.invalidParameter, "query parameter 'transport' must be one of \(names), got '\(name)'")
        }
        return transport
    }
}
