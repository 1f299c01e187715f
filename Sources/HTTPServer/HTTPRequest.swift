/// A parsed HTTP/1.x request, as the server hands it to the application. The body, which this
/// server reads and discards, is not part of it.
public struct HTTPRequest: Sendable, Equatable {
    public enum Version: String, Sendable {
        case http1_0 = "HTTP/1.0"
        case http1_1 = "HTTP/1.1"
    }

    /// The method token, case-sensitive as RFC 9110 says: `GET`, `HEAD`, `OPTIONS`, …
    public let method: String
    /// The request-target as sent: `/ports/600?pretty`, or `*`.
    public let target: String
    public let version: Version
    public let headers: HTTPHeaders
    /// The client's address: `192.0.2.1` or `2001:db8::1` (IPv4-mapped IPv6 shown as such).
    public let remoteAddress: String
    /// Where the target's `?` is, found once: the path and the query are asked for several times
    /// a request. Split on bytes: walking Characters costs more than answering a cached request.
    private let queryMark: String.Index?

    public init(method: String, target: String, version: Version, headers: HTTPHeaders, remoteAddress: String) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.remoteAddress = remoteAddress
        queryMark = target.utf8.firstIndex(of: UInt8(ascii: "?"))
    }

    /// The path part of the target, still percent-encoded.
    public var path: Substring {
        queryMark.map { target[..<$0] } ?? target[...]
    }

    /// The query part of the target without its `?`, still percent-encoded; nil when there is none.
    public var query: Substring? {
        queryMark.map { target[target.utf8.index(after: $0)...] }
    }
}
