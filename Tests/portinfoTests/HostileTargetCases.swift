/// Request targets (RFC 9112 §3.2): bad UTF-8 and bad percent-encoding in paths and queries are
/// the API's 400s (the request itself is well framed, so the connection stays open); dot
/// segments and empty segments name no route, and a route's path with a trailing slash is
/// redirected to it; the absolute form is served by its path, the asterisk form is for OPTIONS
/// alone, and the authority form for CONNECT alone.
extension HostileCase {
    static let targets: [HostileCase] = {
        typealias R = HostileRequests
        return [
            // Percent-encoding and UTF-8
            HostileCase("/services/%FF (not UTF-8) is 400", R.get("/services/%FF"), .problem(400)),
            HostileCase("/services/%zz (not a percent-encoding) is 400", R.get("/services/%zz"), .problem(400)),
            HostileCase("/services/%C3%28 (a broken UTF-8 sequence) is 400", R.get("/services/%C3%28"), .problem(400)),
            HostileCase("/services/% (a lone percent sign) is 400", R.get("/services/%"), .problem(400)),
            HostileCase("/services/%F0%9F (a truncated UTF-8 sequence) is 400", R.get("/services/%F0%9F"), .problem(400)),
            HostileCase("/services/%C0%AF (an overlong UTF-8 slash) is 400", R.get("/services/%C0%AF"), .problem(400)),
            HostileCase("/services/%ED%A0%80 (an encoded UTF-16 surrogate) is 400", R.get("/services/%ED%A0%80"), .problem(400)),
            HostileCase("/search?q=%C3%28 (a broken UTF-8 sequence) is 400", R.get("/search?q=%C3%28"), .problem(400)),
            HostileCase("/search?q=%zz is 400", R.get("/search?q=%zz"), .problem(400)),
            HostileCase("/search?q=%FF is 400", R.get("/search?q=%FF"), .problem(400)),
            HostileCase("/ports/600?transport=%FF is 400", R.get("/ports/600?transport=%FF"), .problem(400)),
            HostileCase("/ports/6%300 (an encoded digit) is port 600", R.get("/ports/6%300"), .port600),
            HostileCase("a raw non-ASCII byte in the target is refused: it must be percent-encoded",
                        bytes: Array("GET /services/caf".utf8) + [0xC3, 0xA9] + Array(" HTTP/1.1\r\nHost: t\r\n\r\n".utf8), .refused(400)),

            // Dot segments and empty segments
            HostileCase("/ports/../registry names no route (404), not /registry", R.get("/ports/../registry"), .problem(404)),
            HostileCase("/%2e%2e/registry names no route (404)", R.get("/%2e%2e/registry"), .problem(404)),
            HostileCase("/ports/./600 names no route (404)", R.get("/ports/./600"), .problem(404)),
            HostileCase("//ports/600 names no route (404)", R.get("//ports/600"), .problem(404)),
            HostileCase("/ports/600/ (a trailing slash) is redirected (301) to /ports/600", R.get("/ports/600/"),
                        Expected(answers: [Answer(status: 301, fields: ["Location": "/ports/600"], body: .unchecked)], afterwards: .keptAlive)),
            HostileCase("/ports/%2e%2e is not a port (400)", R.get("/ports/%2e%2e"), .problem(400)),
            HostileCase("/services/..%2Fregistry is a service name, and none has it (404)",
                        R.get("/services/..%2Fregistry"), .problem(404)),

            // Forms of the target
            HostileCase("GET http://h/ports/600 (absolute form) is served by its path",
                        R.get("http://h/ports/600"), .port600),
            HostileCase("GET https://h:8443/ports/600 with another Host is served by its path (the Host is ignored)",
                        "GET https://h:8443/ports/600 HTTP/1.1\r\nHost: other\r\n\r\n", .port600),
            HostileCase("the absolute form still needs a Host in HTTP/1.1",
                        "GET http://h/ports/600 HTTP/1.1\r\n\r\n", .refused(400)),
            HostileCase("OPTIONS * is 200 with Allow",
                        "OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n",
                        Expected(answers: [Answer(status: 200, fields: R.allowed, body: .unchecked)], afterwards: .keptAlive)),
            HostileCase("GET * is refused: the asterisk form is for OPTIONS", R.get("*"), .refused(400)),
            HostileCase("CONNECT h:443 (authority form) is 501: this server is no proxy",
                        "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", .refused(501)),
            HostileCase("GET h:443 is refused: the authority form is for CONNECT", R.get("h:443"), .refused(400)),
            HostileCase("a target that is neither a path nor a URI is refused", R.get("ports/600"), .refused(400)),
        ]
    }()
}
