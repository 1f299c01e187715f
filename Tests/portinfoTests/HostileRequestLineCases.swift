/// Request lines (RFC 9112 §3), methods (RFC 9110 §9) and Host (RFC 9110 §7.2, RFC 9112 §3.2).
/// HTTP/1.x with a higher minor version is served as HTTP/1.1 (RFC 9112 §2.3), other major
/// versions are 505; a first byte that cannot start a request line (not a token character, CR
/// or LF) is refused at once, not at the header timeout; a method the API does not allow is 405
/// with Allow, one that is not a token is 400.
extension HostileCase {
    static let requestLines: [HostileCase] = {
        typealias R = HostileRequests
        return [
            // Versions
            HostileCase("HTTP/1.0 without a Host is served, then the connection closed",
                        "GET /ports/600 HTTP/1.0\r\n\r\n", .port600ThenClosed),
            HostileCase("HTTP/1.0 with Connection: keep-alive is kept alive",
                        "GET /ports/600 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                        Expected(answers: [Answer(status: 200, fields: ["Connection": "keep-alive"], body: .port600Records)],
                                 afterwards: .keptAlive)),
            HostileCase("HTTP/1.9 is served as HTTP/1.1", R.version("HTTP/1.9"), .port600),
            HostileCase("HTTP/2.0 is 505", R.version("HTTP/2.0"), .refused(505)),
            HostileCase("HTTP/3.0 is 505", R.version("HTTP/3.0"), .refused(505)),
            HostileCase("HTTP/0.9 written out is 505", R.version("HTTP/0.9"), .refused(505)),
            HostileCase("the HTTP/2 connection preface is 505",
                        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .refused(505)),
            HostileCase("an HTTP/0.9 request (no version) is refused",
                        "GET /ports/600\r\n\r\n", .refused(400)),
            HostileCase("HTTP/1.1 with a trailing space is refused", R.version("HTTP/1.1 "), .refused(400)),
            HostileCase("a lowercase http/1.1 is refused (HTTP-name is case-sensitive)", R.version("http/1.1"), .refused(400)),
            HostileCase("HTTP/1.10 is refused", R.version("HTTP/1.10"), .refused(400)),
            HostileCase("HTTP/1 is refused", R.version("HTTP/1"), .refused(400)),
            HostileCase("HTTP/1.x is refused", R.version("HTTP/1.x"), .refused(400)),
            HostileCase("two spaces between method and target are refused",
                        "GET  /ports/600 HTTP/1.1\r\nHost: t\r\n\r\n", .refused(400)),
            HostileCase("tabs between the request line's parts are refused",
                        "GET\t/ports/600\tHTTP/1.1\r\nHost: t\r\n\r\n", .refused(400)),

            // Not HTTP at all
            HostileCase("a TLS ClientHello is 400 at once, not at the header timeout",
                        bytes: R.tlsClientHello, .refused(400)),
            HostileCase("a first byte NUL is 400 at once", bytes: [0, 0, 0, 0], .refused(400)),
            HostileCase("a SOCKS5 greeting is 400 at once", bytes: [0x05, 0x01, 0x00], .refused(400)),
            HostileCase("a telnet IAC (0xFF) is 400 at once", bytes: [0xFF, 0xFB, 0x18], .refused(400)),
            HostileCase("a leading space is 400 at once", " GET /ports/600 HTTP/1.1", .refused(400)),
            HostileCase("a JSON document sent as a request is 400 at once", "{\"port\": 600}", .refused(400)),
            HostileCase("an SSH client's banner is refused", "SSH-2.0-OpenSSH_9.6\r\n", .refused(400)),

            // Methods
            HostileCase("get (lowercase; methods are case-sensitive) is 405 with Allow",
                        "get /ports/600 HTTP/1.1\r\nHost: t\r\n\r\n", .problem(405, fields: R.allowed)),
            HostileCase("an unknown method BREW is 405 with Allow",
                        "BREW /ports/600 HTTP/1.1\r\nHost: t\r\n\r\n", .problem(405, fields: R.allowed)),
            HostileCase("TRACE (which would echo the request) is 405 with Allow",
                        "TRACE /ports/600 HTTP/1.1\r\nHost: t\r\n\r\n", .problem(405, fields: R.allowed)),
            HostileCase("DELETE is 405 with Allow",
                        "DELETE /ports/600 HTTP/1.1\r\nHost: t\r\n\r\n", .problem(405, fields: R.allowed)),
            HostileCase("POST with a body is 405, its body read so the connection stays in step",
                        "POST /ports/600 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello", .problem(405, fields: R.allowed)),
            HostileCase("PUT with a chunked body is 405, its body read",
                        "PUT /ports/600 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                        .problem(405, fields: R.allowed)),
            HostileCase("a 200-character token method is 405",
                        "\(String(repeating: "M", count: 200)) /ports/600 HTTP/1.1\r\nHost: t\r\n\r\n", .problem(405, fields: R.allowed)),
            HostileCase("a method with ( (not a token) is refused",
                        "G(T /ports/600 HTTP/1.1\r\nHost: t\r\n\r\n", .refused(400)),
            HostileCase("a method with a non-ASCII letter is refused",
                        "G\u{C9}T /ports/600 HTTP/1.1\r\nHost: t\r\n\r\n", .refused(400)),

            // Host
            HostileCase("an HTTP/1.1 request without Host is refused", "GET /ports/600 HTTP/1.1\r\n\r\n", .refused(400)),
            HostileCase("two equal Host fields are refused", R.get600("Host: t\r\n"), .refused(400)),
            HostileCase("two differing Host fields are refused", R.get600("Host: other\r\n"), .refused(400)),
            HostileCase("Host: a b is refused", "GET /ports/600 HTTP/1.1\r\nHost: a b\r\n\r\n", .refused(400)),
            HostileCase("Host: a/b is refused", "GET /ports/600 HTTP/1.1\r\nHost: a/b\r\n\r\n", .refused(400)),
            HostileCase("Host: user@h (userinfo) is refused", "GET /ports/600 HTTP/1.1\r\nHost: user@h\r\n\r\n", .refused(400)),
            HostileCase("Host: h:80x (a port that is not digits) is refused",
                        "GET /ports/600 HTTP/1.1\r\nHost: h:80x\r\n\r\n", .refused(400)),
            HostileCase("Host: [::1 (an unclosed IPv6 literal) is refused",
                        "GET /ports/600 HTTP/1.1\r\nHost: [::1\r\n\r\n", .refused(400)),
            HostileCase("Host: [::1]:8080 is served", "GET /ports/600 HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", .port600),
            HostileCase("Host: t:8080 is served", "GET /ports/600 HTTP/1.1\r\nHost: t:8080\r\n\r\n", .port600),
            HostileCase("an empty Host is served (RFC 9110 §7.2 allows it)", "GET /ports/600 HTTP/1.1\r\nHost:\r\n\r\n", .port600),
        ]
    }()
}
