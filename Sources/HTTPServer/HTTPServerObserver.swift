/// What the server tells whoever watches it (metrics, say): connections as they open, close or
/// are turned away, and requests it refused itself (the application counts those it answers). Called on the server's threads, for many
/// connections at once, so it must be thread-safe; and on every request, so it must be cheap.
public protocol HTTPServerObserver: Sendable {
    /// A connection was accepted and is being served.
    func connectionOpened()
    /// A connection that was being served has closed.
    func connectionClosed()
    /// A connection was answered 503 and closed: `maxConnections` were open (or the server was stopping).
    func connectionRejected()
    /// The server answered a request itself with `status`, before any handler saw it: malformed,
    /// over one of the HTTPLimits, or too slow to arrive.
    func requestRefused(status: Int)
}
