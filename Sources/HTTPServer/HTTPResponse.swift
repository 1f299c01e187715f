/// A response for the server to write. The server adds `Content-Length`, `Date` and, when it
/// closes the connection, `Connection: close`; for HEAD it writes the headers without the body.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The status line, the fields and `Content-Length`, encoded once by `encodedHead()` for a
    /// response an application sends again and again: the server then copies these bytes
    /// instead of encoding the fields anew (it still adds `Date` and `Connection`).
    public private(set) var head: [UInt8]?

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// This response with its head encoded, to be kept and sent many times.
    public func withEncodedHead() -> HTTPResponse {
        var encoded = self
        var bytes: [UInt8] = []
        HTTPResponseWriter.writeHead(self, into: &bytes)
        encoded.head = bytes
        return encoded
    }

    /// The reason phrases this server writes; others are written as "Status".
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 304: "Not Modified"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status"
        }
    }
}

/// The application: turns each request into a response. Called on the server's I/O threads,
/// for many connections at once, so it must be safe to call concurrently and must not wait:
/// it returns the response when it has it at once, or nil after arranging for slow work to
/// run elsewhere and answer through the responder (exactly once).
public typealias HTTPHandler = @Sendable (HTTPRequest, HTTPResponder) -> HTTPResponse?
