/// What the server tells whoever watches it (metrics, say): connections as they open, close or
/// are turned away, and requests as they are answered. Called on the server's threads, for many
/// connections at once, so it must be thread-safe; and on every request, so it must be cheap.
public protocol HTTPServerObserver: Sendable {
    /// A connection was accepted and is being served.
    func connectionOpened()
    /// A connection that was being served has closed.
    func connectionClosed()
    /// A connection was answered 503 and closed: `maxConnections` were open (or the server was stopping).
    func connectionRejected()
    /// The handler answered `request` with `status`. `duration` runs from the request parsed to
    /// its response written into the connection's output, ready to send.
    func requestAnswered(_ request: HTTPRequest, status: Int, duration: Duration)
    /// The server answered a request itself with `status`, before any handler saw it: malformed,
    /// over one of the HTTPLimits, or too slow to arrive.
    func requestRefused(status: Int)
}
