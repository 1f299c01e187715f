import HTTPServer

/// Which browser pages may read an answer (CORS). Any origin: the answer says
/// `Access-Control-Allow-Origin: *`. An allow-list: the answer echoes the request's Origin when
/// it is listed (exactly: scheme, host and port) and says nothing to other origins; such answers
/// depend on the Origin, so the finishing stage names it in `Vary`.
struct CORSPolicy: Sendable {
    /// What a preflight lets a page send beside the CORS-safelisted fields.
    static let allowedRequestHeaders = "If-None-Match, Content-Type"
    /// As `allowedRequestHeaders`, and the bearer token of local-host reports.
    static let allowedRequestHeadersWithToken = allowedRequestHeaders + ", Authorization"
    /// How long a browser may reuse a preflight answer: a day (Firefox's cap; Chromium caps at 2 h).
    static let preflightMaxAgeSeconds = 86_400

    /// nil for any origin.
    private let allowList: Set<String>?

    /// `*` among `allowedOrigins` lets any origin read.
    init(allowedOrigins: [String]) {
        allowList = allowedOrigins.contains("*") ? nil : Set(allowedOrigins)
    }

    /// Only the listed origins, whatever the list holds: answers about the host never say `*`.
    init(onlyOrigins origins: [String]) {
        allowList = Set(origins)
    }

    /// Whether the answer depends on the request's Origin.
    var readsOrigin: Bool { allowList != nil }

    /// Whether the allow-list names `origin`; false for any origin when there is no list.
    func lists(_ origin: String) -> Bool {
        allowList?.contains(origin) ?? false
    }

    /// The value of `Access-Control-Allow-Origin` for a request from `origin` (nil: it sent none),
    /// or nil for none.
    func allowOriginValue(for origin: String?) -> String? {
        guard let allowList else { return "*" }
        guard let origin, allowList.contains(origin) else { return nil }
        return origin
    }
}
