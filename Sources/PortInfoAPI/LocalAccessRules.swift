import Basics
import HTTPServer

/// Who may see host state, as the API checks it: LocalReporting's rules, prepared once.
struct LocalAccessRules: Sendable {
    /// Why a request may not see host state.
    enum Refusal: Equatable {
        /// Its client address is outside `--local-allow`.
        case address
        /// It lacks the token, or sends another.
        case token
        /// With no token set, its Host may be a DNS-rebinding name.
        case host
    }

    private let token: String?
    private let allowedNetworks: [IPNetwork]
    private let safeHosts: RebindingSafeHosts

    init(_ settings: LocalReporting) {
        token = settings.token
        allowedNetworks = settings.allowedNetworks
        safeHosts = RebindingSafeHosts(names: settings.allowedHostNames)
    }

    /// The request fields the decision reads, for `Vary`. The Host is not one: caches key on it
    /// already, as part of the target URI (RFC 9110, 12.5.5).
    var consulted: Answer.Consulted { token == nil ? [] : .authorization }

    /// Why `request` may not see the host's state: nil when it may.
    func refusal(of request: HTTPRequest) -> Refusal? {
        if !allowedNetworks.isEmpty && !allowedNetworks.contains(where: { $0.contains(request.remoteAddress) }) {
            return .address
        }
        if let token {
            guard let given = Self.bearerToken(in: request), Self.constantTimeEquals(given, token) else { return .token }
        } else if !safeHosts.allows(request.headers["Host"]) {
            return .host
        }
        return nil
    }

    /// What the client is told: what to send, never how the server is configured.
    static func problem(for refusal: Refusal, of request: HTTPRequest) -> Problem {
        switch refusal {
        case .address:
            Problem(.forbidden, "local-host reports are not open to your address (\(request.remoteAddress))")
        case .token:
            Problem(.unauthorized, "local-host reports need the server's token: send Authorization: Bearer TOKEN")
        case .host:
            Problem(.forbidden, """
                local-host reports are open only to requests addressed to this host by IP address, as localhost, \
                or by a name the server lists (--local-hosts); this one \(request.headers["Host"].map { "names '\($0)'" } ?? "names no host")
                """)
        }
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
