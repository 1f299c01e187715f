/// The server's size limits at their edges (the defaults: request line 8192 bytes, header
/// section 16384 bytes, 100 fields, body 8192 bytes): exactly at a limit is served, one past it
/// is refused, and a line that never ends is refused once it is too long, not when it ends.
extension HostileCase {
    static let limits: [HostileCase] = {
        typealias R = HostileRequests
        return [
            HostileCase("a request line of exactly 8192 bytes is served", R.requestLine(of: 8192), .port600),
            HostileCase("a request line of 8193 bytes is 414", R.requestLine(of: 8193), .refused(414)),
            HostileCase("a request line that never ends is 414 once past 8192 bytes, at once",
                        "GET /ports/600?pad=" + String(repeating: "a", count: 9000), .refused(414)),
            HostileCase("a header section of exactly 16384 bytes is served", R.headerSection(of: 16384), .port600),
            HostileCase("a header section of 16385 bytes is 431", R.headerSection(of: 16385), .refused(431)),
            HostileCase("a field line that never ends is 431 once past 16384 bytes, at once",
                        "GET /ports/600 HTTP/1.1\r\nHost: t\r\nX-Pad: " + String(repeating: "p", count: 17000), .refused(431)),
            HostileCase("100 header fields are served", R.fields(100), .port600),
            HostileCase("101 header fields are 431", R.fields(101), .refused(431)),
            HostileCase("a body of exactly 8192 bytes is read", R.withBody(of: 8192), .port600),
            HostileCase("a body of 8193 bytes is 413, and the client reads the 413 rather than a reset",
                        R.withBody(of: 8193), .refused(413)),
            HostileCase("a Content-Length past 8192 is 413 at once, before the body arrives",
                        R.get600("Content-Length: 9000\r\n"), .refused(413)),
            HostileCase("chunks adding up to exactly 8192 bytes are read",
                        R.chunked("1000\r\n\(String(repeating: "c", count: 4096))\r\n1000\r\n\(String(repeating: "c", count: 4096))\r\n0\r\n\r\n"),
                        .port600),
            HostileCase("chunks adding up to 8193 bytes are 413",
                        R.chunked("1000\r\n\(String(repeating: "c", count: 4096))\r\n1001\r\n\(String(repeating: "c", count: 4097))\r\n0\r\n\r\n"),
                        .refused(413)),
        ]
    }()
}
