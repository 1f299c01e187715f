/// The server's limits. Each protects it from a client that sends too much or too slowly; each
/// answers as RFC 9110/9112 say when it is passed. The defaults suit a small JSON API.
public struct HTTPLimits: Sendable, Equatable {
    /// The request line (method, target, version), in bytes; longer is 414 URI Too Long.
    public var maxRequestLineLength = 8 * 1024
    /// The header section after the request line, in bytes; more is 431.
    public var maxHeaderSectionSize = 16 * 1024
    /// Header fields in one request; more is 431.
    public var maxHeaderCount = 100
    /// A request body, which this server reads and discards to stay in step; larger is 413.
    public var maxBodySize = 8 * 1024
    /// Connections open at once; one more is answered 503 and closed.
    public var maxConnections = 4096
    /// Connections one client address may hold open at once, so that one host cannot take
    /// every connection; one more is answered 503 and closed.
    public var maxConnectionsPerClient = 256
    /// From a request's first byte until its header section is complete; slower is 408 and closed.
    public var headerTimeout: Duration = .seconds(10)
    /// A kept-alive connection with no request under way is closed after this long.
    public var idleTimeout: Duration = .seconds(60)
    /// A connection whose client takes none of the output waiting for it for this long is closed:
    /// a client that does not read costs the server its buffers, not forever.
    public var writeTimeout: Duration = .seconds(30)
    /// A connection closed while its client still sends first stops writing, then reads and drops
    /// what arrives for up to this long, so the client gets its answers rather than a reset.
    public var lingerTimeout: Duration = .seconds(2)
    /// Requests on one connection; the last one is answered with `Connection: close`.
    public var maxRequestsPerConnection = 10_000
    /// On shutdown, how long requests in flight may take before their connections are closed.
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// On shutdown, how long an idle kept-alive connection stays open, so that a request the
    /// client already sent is answered (with `Connection: close`) rather than met by a close.
    public var shutdownIdleWait: Duration = .milliseconds(500)

    public init() {}
}
