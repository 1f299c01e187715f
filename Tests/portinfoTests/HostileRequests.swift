/// The requests the hostile cases are built from: a normal GET /ports/600 with something added
/// or changed, so that an accepted case gets the registry's answer about port 600.
enum HostileRequests {
    static let allowed = ["Allow": "GET, HEAD, OPTIONS"]

    /// GET /ports/600 with a Host, then `fields` (each line with its CRLF), the empty line, `body`.
    static func get600(_ fields: String = "", body: String = "") -> String {
        "GET /ports/600 HTTP/1.1\r\nHost: t\r\n\(fields)\r\n\(body)"
    }

    /// `get600` with a chunked body of these chunk lines (each line with its CRLF).
    static func chunked(_ chunks: String) -> String {
        get600("Transfer-Encoding: chunked\r\n", body: chunks)
    }

    /// `get600` whose chunked body is one chunk of "hello" with this chunk-size line (CRLF added).
    static func chunkSizeLine(_ line: String) -> String {
        chunked("\(line)\r\nhello\r\n0\r\n\r\n")
    }

    /// `get600` with this Content-Length value and a body of "hello" (or `body`).
    static func contentLength(_ value: String, body: String = "hello") -> String {
        get600("Content-Length: \(value)\r\n", body: body)
    }

    /// `get600` with this Transfer-Encoding value and an empty chunked body.
    static func transferEncoding(_ value: String) -> String {
        get600("Transfer-Encoding: \(value)\r\n", body: "0\r\n\r\n")
    }

    /// GET /ports/600 as this HTTP version.
    static func version(_ version: String) -> String {
        get("/ports/600", version: version)
    }

    /// `get600` with a body of `count` bytes and its Content-Length.
    static func withBody(of count: Int) -> String {
        get600("Content-Length: \(count)\r\n", body: String(repeating: "b", count: count))
    }

    /// GET `target` with a Host.
    static func get(_ target: String, version: String = "HTTP/1.1") -> String {
        "GET \(target) \(version)\r\nHost: t\r\n\r\n"
    }

    /// A request for port 600 whose request line, CRLF excluded, is `length` bytes long (padded in the query).
    static func requestLine(of length: Int) -> String {
        let bare = "GET /ports/600?pad= HTTP/1.1"
        return "GET /ports/600?pad=\(String(repeating: "a", count: length - bare.utf8.count)) HTTP/1.1\r\nHost: t\r\n\r\n"
    }

    /// A request for port 600 whose header section (every field line with its CRLF, and the empty
    /// line) is `size` bytes, padded in one field.
    static func headerSection(of size: Int) -> String {
        let fixed = "Host: t\r\nX-Pad: \r\n\r\n"
        return "GET /ports/600 HTTP/1.1\r\nHost: t\r\nX-Pad: \(String(repeating: "p", count: size - fixed.utf8.count))\r\n\r\n"
    }

    /// A request for port 600 with `count` header fields, Host included.
    static func fields(_ count: Int) -> String {
        get600((1..<count).map { "X-\($0): \($0)\r\n" }.joined())
    }

    /// The first bytes of a TLS 1.3 ClientHello, as a client speaking HTTPS to this port sends
    /// them: a binary record with no line feed in it.
    static let tlsClientHello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x2F, 0x01, 0x00, 0x00, 0x2B, 0x03, 0x03]
        + Array(0x20...0x3F) + [0x00, 0x00, 0x04, 0x13, 0x01, 0x13, 0x02, 0x01, 0x00]
}
