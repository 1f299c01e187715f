/// What the server leaves to its application beside answering requests: the words of the answers
/// it gives on its own (a request it refuses: malformed, over one of the HTTPLimits, too slow to
/// arrive; a connection past the limits), and hearing of every response it sends and every
/// connection. So that every answer, the application's and the server's own, follows one policy
/// (problem bodies, headers) and is observed in one place (metrics, the access line), counted
/// once. Called on the server's threads, for many connections at once: it must be thread-safe,
/// and cheap, since it runs for every request.
public protocol HTTPServerDelegate: Sendable {
    /// The response for something the server refuses itself, before any handler saw a request:
    /// `status` (400, 408, 413, 414, 417, 431, 501, 503, 505), what to say of it, and for a 503
    /// how many seconds to wait before trying again. The server adds what it adds to every
    /// response, and closes the connection after it.
    func refusal(status: Int, detail: String, retryAfterSeconds: Int?) -> HTTPResponse

    /// A response the server sent to `client`: the handler's answer to a request, `duration` after
    /// the request was read whole, or the server's refusal of one (no request was read whole).
    func sent(_ response: HTTPResponse, for exchange: HTTPExchange, to client: String, after duration: Duration)

    /// A connection was accepted and is being served.
    func connectionOpened()
    /// A connection that was being served has closed.
    func connectionClosed()
    /// A connection was answered 503 (`refusal`) and closed: the connection limits were reached,
    /// or the server was stopping.
    func connectionRejected()
}

/// What a response the server sent was for.
public enum HTTPExchange: Sendable {
    /// The handler answered this request.
    case answered(HTTPRequest)
    /// The server refused what the client sent, with this status, for this reason.
    case refused(status: Int, detail: String)
}
