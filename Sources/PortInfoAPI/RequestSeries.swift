/// Which series of the request metrics a request counts in: its route's template, its method
/// and its status. Every label takes its value from a fixed set (the route's template, never the
/// path; a method the API does not serve is `other`), so that a client sending random paths or
/// methods cannot grow the number of series without end.
struct RequestSeries: Hashable {
    enum MethodLabel: String {
        case get = "GET", head = "HEAD", options = "OPTIONS", other
    }

    /// The route's path as openapi.yaml names it; nil for a path that is no route, or a request
    /// the HTTP layer refused before it was routed.
    let route: String?
    let method: MethodLabel
    let status: Int

    /// A request with `method` on `route` (nil: no route), answered with `status`.
    init(route: Route?, method: String, status: Int) {
        self.route = route?.path
        self.method = switch method {
        case "GET": .get
        case "HEAD": .head
        case "OPTIONS": .options
        default: .other
        }
        self.status = status
    }

    /// A request the HTTP layer answered itself: it has no route, and maybe no method.
    init(refusedWith status: Int) {
        route = nil
        method = .other
        self.status = status
    }

    /// The route's label: its template, or `other`.
    var routeLabel: String { route ?? "other" }

    /// The labels, as swift-metrics takes them.
    var dimensions: [(String, String)] {
        [("route", routeLabel), ("method", method.rawValue), ("status", String(status))]
    }
}
