import HTTPServer
import HostState
import Logging
import Registry

/// The portinfo HTTP API, as openapi.yaml describes it: turns each request into its answer from
/// the registry. Safe to call from many threads at once: the database connections are pooled
/// (RegistryStorePool) and `/ports` answers, the hot path, come from PortAnswerCache once rendered.
public final class PortInfoAPI: Sendable {
    public let configuration: APIConfiguration
    private let stores: RegistryStorePool
    private let portAnswers = PortAnswerCache()
    private let cors: CORSPolicy
    private let compactAnswerHeaders: RegistryAnswerHeaders
    private let prettyAnswerHeaders: RegistryAnswerHeaders
    /// `/registry` cannot change while the API serves it: rendered once.
    private let registryBodies: (compact: [UInt8], pretty: [UInt8])
    private let openAPISpecResponse: HTTPResponse
    /// What the API records, for `/metrics`; give it to the HTTP server as its observer.
    public let metrics: PortInfoMetrics
    private let logger = Logger(label: "portinfo.api")
    /// Local-host reporting, when configured: its settings, its report, its CORS policy.
    private let localHost: (settings: LocalReporting, report: LocalHostReport, cors: CORSPolicy)?
    /// This host's name, as `/listeners` answers say.
    private let hostName: String

    /// Opens the registry database read-only; fails with a RegistryError when it is missing or is
    /// not a complete registry of this binary's schema, or a PortInfoAPIError.
    public init(configuration: APIConfiguration) throws {
        guard configuration.cacheMaxAge >= 0 else { throw PortInfoAPIError.negativeCacheMaxAge(configuration.cacheMaxAge) }
        self.configuration = configuration
        stores = try RegistryStorePool(path: configuration.databasePath)
        cors = CORSPolicy(allowedOrigins: configuration.allowedOrigins)
        let metadata = stores.metadata
        compactAnswerHeaders = RegistryAnswerHeaders(
            entityTag: EntityTag(registry: metadata, format: .compact), cacheMaxAge: configuration.cacheMaxAge, cors: cors)
        prettyAnswerHeaders = RegistryAnswerHeaders(
            entityTag: EntityTag(registry: metadata, format: .pretty), cacheMaxAge: configuration.cacheMaxAge, cors: cors)
        registryBodies = (APIJSON.registryMetadata(metadata, format: .compact), APIJSON.registryMetadata(metadata, format: .pretty))
        let metrics = PortInfoMetrics(registry: configuration.metricsRegistry, metadata: metadata,
                                      scansListeners: configuration.localReporting != nil)
        self.metrics = metrics
        if let settings = configuration.localReporting {
            let scanner = ListenerScanner(maxAge: settings.scanMaxAge, scanTook: { metrics.listenerScanned(in: $0) })
            let report = try stores.withStore { try LocalHostReport(store: $0, scanner: scanner) }
            localHost = (settings, report, CORSPolicy(allowedOrigins: settings.allowedOrigins))
        } else {
            localHost = nil
        }
        hostName = LocalHostReport.hostName
        openAPISpecResponse = HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", "application/yaml")] + cors.fixedHeaders),
            body: Array(OpenAPISpec.text.utf8))
    }

    /// The answer to `request`, as an `HTTPHandler`: every failure is a problem+json response.
    /// HEAD gets GET's answer, body included, for the server to take its length from and drop.
    public func handle(_ request: HTTPRequest, _ responder: HTTPResponder) -> HTTPResponse? {
        let started = ContinuousClock.now
        let route = Route(path: request.path)
        let cors = corsPolicy(for: route)
        var response = respond(to: request, route: route, cors: cors)
        if let origin = cors.echoedOrigin(for: request) {
            response.headers.add("Access-Control-Allow-Origin", origin)
        }
        metrics.requestAnswered(request, status: response.status, duration: ContinuousClock.now - started)
        return response
    }

    /// Host-state routes have a CORS policy of their own (no origin unless configured); every
    /// other answer has the registry's.
    private func corsPolicy(for route: Route?) -> CORSPolicy {
        route?.isLocalHost == true ? (localHost?.cors ?? cors) : cors
    }

    private func respond(to request: HTTPRequest, route: Route?, cors routeCORS: CORSPolicy) -> HTTPResponse {
        let (path, rawQuery) = (request.path, request.query)
        guard let route else {
            return problemResponse(Problem(.unknownPath, """
                there is nothing at \(path): the API serves /ports/{port}, /services/{name}, /search?q=TEXT, \
                /registry, /healthz and /openapi.yaml
                """), format: .compact)
        }
        switch request.method {
        case "GET", "HEAD": break
        case "OPTIONS": return routeCORS.preflightResponse()
        default:
            return problemResponse(Problem(.methodNotAllowed, """
                \(request.method) is not allowed on \(path): the API is read-only and allows \(Route.allowedMethods)
                """), format: .compact)
        }
        let query = QueryParameters(rawQuery)
        let format: APIJSON.Format = query.contains("pretty") ? .pretty : .compact
        do throws(Problem) {
            switch route {
            case let .port(segment): return try portAnswer(segment, query: query, rawQuery: rawQuery, format: format, to: request)
            case let .service(segment): return try serviceAnswer(segment, format: format, to: request)
            case .search: return try searchAnswer(query, format: format, to: request)
            case .registry:
                return answerHeaders(format).response(
                    body: format == .pretty ? registryBodies.pretty : registryBodies.compact, to: request)
            case .health: return try healthAnswer(format: format)
            case .openAPISpec: return openAPISpecResponse
            case .metrics: return metricsAnswer()
            case .listeners: return try listenersAnswer(query, format: format, to: request)
            case .freePorts: return try freePortsAnswer(query, format: format, to: request)
            }
        } catch {
            return problemResponse(error, format: format, cors: routeCORS)
        }
    }

    // MARK: Routes

    private func portAnswer(_ segment: Substring, query: QueryParameters, rawQuery: Substring?, format: APIJSON.Format,
                            to request: HTTPRequest) throws(Problem) -> HTTPResponse {
        let port: Int
        if let parsed = PortLookup.port(fromDecimal: segment), segment.utf8.first != UInt8(ascii: "0") || segment.utf8.count == 1 {
            port = parsed // the usual case, without decoding
        } else {
            let text = String(percentDecoding: segment, plusIsSpace: false)
            guard let text, let parsed = PortLookup.port(fromDecimal: text) else {
                throw Problem(.invalidPort, PortLookup.invalidPortMessage(text ?? String(segment)))
            }
            guard String(parsed) == text else {
                return redirect(to: "/ports/\(parsed)" + (rawQuery.map { "?\($0)" } ?? ""))
            }
            port = parsed
        }
        let transport = try query.value("transport").map { (name) throws(Problem) in try Self.transport(named: name) }
        if let localHost, localHost.settings.refusal(of: request) == nil {
            // With the host's listeners the answer is live: built each time, never cached.
            let lookup = try fromRegistry { try $0.lookup(port: port, transport: transport) }
            // Only TCP and UDP sockets are reported: an SCTP or DCCP question has no listeners.
            let listenerTransport = transport.map { Listener.Transport(rawValue: $0.rawValue) }
            let listeners = listenerTransport == .some(nil) ? []
                : try fromHostState { try localHost.report.listeners(transport: listenerTransport ?? nil, port: port) }
            return liveAnswer(APIJSON.portLookup(lookup, listeners: listeners, format: format), cors: cors)
        }
        let key = PortAnswerCache.Key(port: port, transport: transport, format: format)
        let body: [UInt8]
        if let cached = portAnswers.body(for: key) {
            body = cached
        } else {
            let lookup = try fromRegistry { try $0.lookup(port: port, transport: transport) }
            body = APIJSON.portLookup(lookup, format: format)
            portAnswers.keep(body, for: key)
        }
        return answerHeaders(format).response(body: body, to: request)
    }

    private func serviceAnswer(_ segment: Substring, format: APIJSON.Format, to request: HTTPRequest) throws(Problem) -> HTTPResponse {
        guard let name = String(percentDecoding: segment, plusIsSpace: false) else {
            throw Problem(.invalidEncoding, "the service name is not percent-encoded UTF-8: '\(segment)'")
        }
        guard !name.isEmpty else {
            throw Problem(.invalidParameter, "the service name is empty: ask for /services/NAME")
        }
        let records = try fromRegistry { try $0.records(named: name) }
        guard !records.isEmpty else {
            throw Problem(.unknownService, """
                no service is named '\(name)' in the registry (names match whole, in any case); \
                /search?q=WORDS finds words in names, descriptions and notes
                """)
        }
        return answerHeaders(format).response(body: APIJSON.serviceAnswer(name: name, records: records, format: format), to: request)
    }

    private func searchAnswer(_ query: QueryParameters, format: APIJSON.Format, to request: HTTPRequest) throws(Problem) -> HTTPResponse {
        guard let text = try query.value("q") else {
            throw Problem(.invalidParameter, "query parameter 'q' is required: /search?q=WORDS")
        }
        guard !text.isEmpty else {
            throw Problem(.invalidParameter, "query parameter 'q' is empty: give the words to search for, /search?q=WORDS")
        }
        let limit = try Self.integer("limit", in: query, from: 1, to: RegistryStore.maximumSearchLimit)
            ?? RegistryStore.defaultSearchLimit
        let offset = try Self.integer("offset", in: query, from: 0) ?? 0
        let search: SearchQuery
        do { search = try SearchQuery(text) } catch { throw Problem(.invalidParameter, "query parameter 'q': \(error)") }
        let results = try fromRegistry { try $0.search(search, limit: limit, offset: offset) }
        return answerHeaders(format).response(body: APIJSON.searchAnswer(query: text, results: results, format: format), to: request)
    }

    private func healthAnswer(format: APIJSON.Format) throws(Problem) -> HTTPResponse {
        _ = try fromRegistry { try $0.metadata() }
        var headers = HTTPHeaders([("Content-Type", "application/json"), ("Cache-Control", "no-store")])
        for field in cors.fixedHeaders { headers.add(field.name, field.value) }
        return HTTPResponse(status: 200, headers: headers, body: APIJSON.health(format: format))
    }

    private func metricsAnswer() -> HTTPResponse {
        HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
                                                        ("Cache-Control", "no-store")] + cors.fixedHeaders),
                     body: metrics.page())
    }

    /// The local-host report, once the request has shown it may see it.
    private func localHostReport(for request: HTTPRequest) throws(Problem) -> (report: LocalHostReport, cors: CORSPolicy) {
        guard let localHost else {
            throw Problem(.localReportingOff, """
                local-host reporting is off: start the server with --report-local (PORTINFO_REPORT_LOCAL=1) \
                to serve /listeners and /free-ports
                """)
        }
        if let refusal = localHost.settings.refusal(of: request) { throw refusal }
        return (localHost.report, localHost.cors)
    }

    private func listenersAnswer(_ query: QueryParameters, format: APIJSON.Format, to request: HTTPRequest) throws(Problem) -> HTTPResponse {
        let (report, cors) = try localHostReport(for: request)
        let transport = try query.value("transport").map { (name) throws(Problem) in try Self.listenerTransport(named: name) }
        let port = try Self.integer("port", in: query, from: PortLookup.validPorts.lowerBound, to: PortLookup.validPorts.upperBound)
        let listeners = try fromHostState { try report.listeners(transport: transport, port: port) }
        return liveAnswer(APIJSON.listenersAnswer(host: hostName, listeners: listeners, format: format), cors: cors)
    }

    private func freePortsAnswer(_ query: QueryParameters, format: APIJSON.Format, to request: HTTPRequest) throws(Problem) -> HTTPResponse {
        let (report, cors) = try localHostReport(for: request)
        let transport = try query.value("transport").map { (name) throws(Problem) in try Self.listenerTransport(named: name) }
        let range = try query.value("range").map { (name) throws(Problem) -> PortRange in
            guard let range = PortRange(rawValue: name) else {
                throw Problem(.invalidParameter, "query parameter 'range' must be one of system, user, dynamic, got '\(name)'")
            }
            return range
        } ?? .user
        let count = try Self.integer("count", in: query, from: 1, to: LocalHostReport.maximumFreePortCount)
            ?? LocalHostReport.defaultFreePortCount
        let from = try Self.integer("from", in: query, from: PortLookup.validPorts.lowerBound, to: PortLookup.validPorts.upperBound)
            ?? range.ports.lowerBound
        let ports = try fromHostState { try report.freePorts(in: range.ports, transport: transport, from: from, count: count) }
        return liveAnswer(APIJSON.freePortsAnswer(range: range, transport: transport?.rawValue, from: from, ports: ports,
                                                  format: format), cors: cors)
    }

    // MARK: Parts

    /// An answer about this host as it is now: never stored by caches.
    private func liveAnswer(_ body: [UInt8], cors: CORSPolicy) -> HTTPResponse {
        HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json"), ("Cache-Control", "no-store")]
            + cors.fixedHeaders), body: body)
    }

    /// Runs `scan`; a failure (no /proc/net here, an unreadable table) is logged and answered 503.
    private func fromHostState<Result>(_ scan: () throws -> Result) throws(Problem) -> Result {
        do {
            return try scan()
        } catch {
            logger.error("reading the host's listening sockets failed", metadata: ["error": "\(error)"])
            throw Problem(.hostStateUnavailable, "\(error)")
        }
    }

    private static func listenerTransport(named name: String) throws(Problem) -> Listener.Transport {
        guard let transport = Listener.Transport(rawValue: name) else {
            throw Problem(.invalidParameter, "query parameter 'transport' must be tcp or udp, got '\(name)'")
        }
        return transport
    }


    private func answerHeaders(_ format: APIJSON.Format) -> RegistryAnswerHeaders {
        format == .pretty ? prettyAnswerHeaders : compactAnswerHeaders
    }

    /// Runs `query` on a pooled store; a failure is logged and answered 503.
    private func fromRegistry<Result>(_ query: (RegistryStore) throws -> Result) throws(Problem) -> Result {
        do {
            return try stores.withStore(query)
        } catch {
            logger.error("registry query failed", metadata: ["database": "\(configuration.databasePath)", "error": "\(error)"])
            throw Problem(.registryUnavailable, "the registry database did not answer; the server's log says why")
        }
    }

    private func problemResponse(_ problem: Problem, format: APIJSON.Format, cors: CORSPolicy? = nil) -> HTTPResponse {
        var headers = HTTPHeaders([("Content-Type", "application/problem+json")] + (cors ?? self.cors).fixedHeaders)
        switch problem.kind {
        case .methodNotAllowed: headers.add("Allow", Route.allowedMethods)
        case .unauthorized: headers.add("WWW-Authenticate", #"Bearer realm="portinfo local-host reports""#)
        case .registryUnavailable, .hostStateUnavailable, .forbidden, .localReportingOff:
            headers.add("Cache-Control", "no-store")
        default: break
        }
        return HTTPResponse(status: problem.kind.status, headers: headers, body: APIJSON.problem(problem, format: format))
    }

    private func redirect(to location: String) -> HTTPResponse {
        HTTPResponse(status: 301, headers: HTTPHeaders([("Location", location)] + cors.fixedHeaders))
    }

    private static func transport(named name: String) throws(Problem) -> Record.Transport {
        guard let transport = Record.Transport(rawValue: name) else {
            let names = Record.Transport.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem(.invalidParameter, "query parameter 'transport' must be one of \(names), got '\(name)'")
        }
        return transport
    }

    /// The decimal integer value of query parameter `name`, nil when absent.
    private static func integer(_ name: String, in query: QueryParameters, from lowest: Int, to highest: Int = .max) throws(Problem) -> Int? {
        guard let text = try query.value(name) else { return nil }
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let value = Int(text), (lowest...highest).contains(value)
        else {
            let range = highest == .max ? "\(lowest) or more" : "from \(lowest) to \(highest)"
            throw Problem(.invalidParameter, "query parameter '\(name)' must be an integer \(range), got '\(text)'")
        }
        return value
    }
}
