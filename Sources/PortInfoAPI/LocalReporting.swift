import HTTPServer

/// Local-host reporting (`/listeners`, `/free-ports`, and `listeners` in `/ports` answers). It
/// shows process names to whoever may ask, so it is off unless configured, and can be limited
/// to a bearer token and to client networks. The registry routes stay open either way.
public struct LocalReporting: Sendable {
    /// When set, requests must carry `Authorization: Bearer <token>` (401 otherwise).
    public var token: String?
    /// When not empty, only clients in these networks may ask (403 otherwise).
    public var allowedNetworks: [IPNetwork]
    /// Browser origins allowed to read these answers (CORS); none by default.
    public var allowedOrigins: [String]
    /// How long one scan of the host's sockets answers for (0: every request scans).
    public var scanMaxAge: Duration

    public init(token: String? = nil, allowedNetworks: [IPNetwork] = [], allowedOrigins: [String] = [],
                scanMaxAge: Duration = .seconds(1)) {
        self.token = token
        self.allowedNetworks = allowedNetworks
        self.allowedOrigins = allowedOrigins
        self.scanMaxAge = scanMaxAge
    }

    /// Why `request` may not see the host's state: nil when it may.
    func refusal(of request: HTTPRequest) -> Problem? {
        if !allowedNetworks.isEmpty && !allowedNetworks.contains(where: { $0.contains(request.remoteAddress) }) {
            return Problem(.forbidden, "local-host reports are not open to \(request.remoteAddress): the server allows "
                + allowedNetworks.map(\.description).joined(separator: ", "))
        }
        if let token {
            guard let given = Self.bearerToken(in: request), Self.constantTimeEquals(given, token) else {
                return Problem(.unauthorized, "local-host reports need the server's token: send Authorization: Bearer TOKEN")
            }
        }
        return nil
    }

    /// The token of an `Authorization: Bearer TOKEN` field (the scheme in any case).
    private static func bearerToken(in request: HTTPRequest) -> String? {
        guard let value = request.headers["Authorization"], String(value.prefix(7)).caseInsensitiveEquals("Bearer ")
        else { return nil }
        return String(value.dropFirst(7).drop { $0 == " " })
    }

    /// Compares without stopping at the first difference, so the time taken does not tell an
    /// attacker how much of a guess was right.
    static func constantTimeEquals(_ given: String, _ expected: String) -> Bool {
        let given = Array(given.utf8), expected = Array(expected.utf8)
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in expected.indices {
            difference |= expected[index] ^ (index < given.count ? given[index] : 0)
        }
        return difference == 0
    }
}
