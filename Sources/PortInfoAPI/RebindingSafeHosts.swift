/// The Host values a DNS-rebinding attack cannot send. The attack: a page on `attacker.example`
/// has the browser resolve that name to this server's address, so the browser sends the page's
/// requests here as same-origin ones, CORS or not, with `Host: attacker.example`. It needs a DNS
/// name the attacker controls, so an IP literal (`127.0.0.1`, `[::1]`, `192.0.2.7:9180`) is
/// safe, as are `localhost` and the names the operator lists (`--local-hosts`). Without a token,
/// requests for host state must be addressed to one of these.
struct RebindingSafeHosts: Sendable {
    /// Lowercased; `localhost` among them.
    private let names: Set<String>

    init(names: [String]) {
        self.names = Set((names + ["localhost"]).map { $0.lowercased() })
    }

    /// Whether `field`, a Host field value the HTTP layer has checked is `host[:port]`, is one of
    /// these; no Host (HTTP/1.0) is not.
    func allows(_ field: String?) -> Bool {
        guard let field else { return false }
        if field.hasPrefix("[") {
            let literal = field.dropFirst().prefix { $0 != "]" }
            return IPNetwork.addressBytes(String(literal))?.count == 16
        }
        let host = String(field.prefix { $0 != ":" })
        return IPNetwork.addressBytes(host)?.count == 4 || names.contains(host.lowercased())
    }
}
