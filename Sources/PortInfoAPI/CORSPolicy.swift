import HTTPServer

/// Which browser pages may read the API's answers (CORS). Any origin: every response says
/// `Access-Control-Allow-Origin: *`. An allow-list: a response echoes the request's Origin when
/// it is listed (exactly: scheme, host and port) and says nothing to other origins; each says
/// `Vary: Origin`, since caches must not hand one origin's answer to another.
struct CORSPolicy: Sendable {
    static let allowedRequestHeaders = "If-None-Match, Content-Type"
    /// How long a browser may reuse a preflight answer: a day (Firefox's cap; Chromium caps at 2 h).
    static let preflightMaxAgeSeconds = 86_400

    /// nil for any origin.
    private let allowList: Set<String>?
    /// The CORS fields of every response, whatever its Origin.
    let fixedHeaders: [(name: String, value: String)]

    init(allowedOrigins: [String]) {
        if allowedOrigins.contains("*") {
            allowList = nil
            fixedHeaders = [("Access-Control-Allow-Origin", "*")]
        } else {
            allowList = Set(allowedOrigins)
            fixedHeaders = [("Vary", "Origin")]
        }
    }

    /// The Origin to echo in `Access-Control-Allow-Origin`: the request's, when the allow-list names it.
    func echoedOrigin(for request: HTTPRequest) -> String? {
        guard let allowList, let origin = request.headers["Origin"], allowList.contains(origin) else { return nil }
        return origin
    }

    /// The answer to `OPTIONS` on a route: a preflight when a browser asks, and `Allow` for anyone.
    func preflightResponse() -> HTTPResponse {
        var headers = HTTPHeaders(fixedHeaders)
        headers.add("Access-Control-Allow-Methods", Route.allowedMethods)
        headers.add("Access-Control-Allow-Headers", Self.allowedRequestHeaders)
        headers.add("Access-Control-Max-Age", String(Self.preflightMaxAgeSeconds))
        headers.add("Allow", Route.allowedMethods)
        return HTTPResponse(status: 204, headers: headers)
    }
}
