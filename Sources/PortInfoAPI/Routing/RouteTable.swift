/// The API's routes, one table, in openapi.yaml's order: dispatch, `405` and `Allow`, preflights,
/// the unknown-path message, the metrics' route labels and the test that this table and
/// openapi.yaml agree all read it. Adding a route is adding an entry, and its handler.
enum RouteTable {
    static let routes: [Route] = [
        Route("/ports/{port}", answers: .jsonOrPage, hostState: .beside) { (api, request) throws(Problem) in try api.portAnswer(&request) },
        Route("/services/{name}", answers: .jsonOrPage) { (api, request) throws(Problem) in try api.serviceAnswer(&request) },
        Route("/search", answers: .jsonOrPage) { (api, request) throws(Problem) in try api.searchAnswer(&request) },
        Route("/registry", answers: .json) { (api, request) throws(Problem) in try api.registryAnswer(&request) },
        Route("/registry/changes", answers: .json) { (api, request) throws(Problem) in try api.changesAnswer(&request) },
        Route("/healthz", answers: .json) { (api, request) throws(Problem) in try api.healthAnswer(&request) },
        Route("/openapi.yaml", answers: .file) { (api, request) throws(Problem) in try api.openAPISpecAnswer(&request) },
        Route("/metrics", answers: .file) { (api, request) throws(Problem) in try api.metricsAnswer(&request) },
        Route("/listeners", answers: .json, hostState: .only) { (api, request) throws(Problem) in try api.listenersAnswer(&request) },
        Route("/free-ports", answers: .json, hostState: .only) { (api, request) throws(Problem) in try api.freePortsAnswer(&request) },
        Route("/", answers: .page) { (api, request) throws(Problem) in try api.lookupPageAnswer(&request) },
        Route("/widget.js", answers: .file) { (api, request) throws(Problem) in try api.widgetAnswer(&request) },
    ]

    /// The route `path` (as sent, still percent-encoded, so that an encoded `/` stays inside its
    /// segment) is one of, and its variable segment; nil when it is none.
    static func route(for path: Substring) -> (route: Route, segment: Substring)? {
        var contiguous = path
        let found = contiguous.withUTF8 { bytes -> (Route, Int)? in
            for route in routes {
                if let start = route.variableStart(in: bytes) { return (route, start) }
            }
            return nil
        }
        guard let (route, start) = found else { return nil }
        return (route, path[path.utf8.index(path.startIndex, offsetBy: start)...])
    }

    /// `path` less its trailing slash, when that is a route's path (`/ports/600/`): where such a
    /// path is redirected, so that links and caches know one address. nil for any other path.
    static func routePath(withoutTrailingSlashOf path: Substring) -> Substring? {
        guard path.utf8.last == UInt8(ascii: "/") else { return nil }
        let trimmed = path.dropLast()
        return route(for: trimmed) == nil ? nil : trimmed
    }

    /// The paths a client may ask, for the message that answers any other.
    static let pathList: String = {
        let paths = routes.map(\.path).filter { $0 != "/" }
        return paths.dropLast().joined(separator: ", ") + " and " + paths.last! + ", and the lookup page at /"
    }()

    /// What every route allows, for `OPTIONS *` (RFC 9110, 9.3.7).
    static let allowedMethods: String = {
        var methods: [String] = []
        for route in routes { for method in route.methods + ["OPTIONS"] where !methods.contains(method) { methods.append(method) } }
        return methods.joined(separator: ", ")
    }()
}
