/// Local-host reporting (`/listeners`, `/free-ports`, and `listeners` in `/ports` answers). It
/// shows process names to whoever may ask, so it is off unless configured, and can be limited
/// to a bearer token and to client networks. The registry routes stay open either way.
public struct LocalReporting: Sendable {
    /// When set, requests must carry `Authorization: Bearer <token>` (401 otherwise).
    public var token: String?
    /// When not empty, only clients in these networks may ask (403 otherwise).
    public var allowedNetworks: [IPNetwork]
    /// Browser origins allowed to read these answers (CORS); none by default, and never any
    /// origin: `*` here is an origin like another, which no browser sends.
    public var allowedOrigins: [String]
    /// Without a token, the host names (beside IP literals and `localhost`) requests may be
    /// addressed to (403 otherwise): see RebindingSafeHosts.
    public var allowedHostNames: [String]
    /// How long one scan of the host's sockets answers for (0: every request scans).
    public var scanMaxAge: Duration

    public init(token: String? = nil, allowedNetworks: [IPNetwork] = [], allowedOrigins: [String] = [],
                allowedHostNames: [String] = [], scanMaxAge: Duration = .seconds(1)) {
        self.token = token
        self.allowedNetworks = allowedNetworks
        self.allowedOrigins = allowedOrigins
        self.allowedHostNames = allowedHostNames
        self.scanMaxAge = scanMaxAge
    }
}
