import Glibc

/// Serialises responses: status line, the application's headers, then the server's own
/// (`Content-Length`, `Date`, `Connection`), then the body unless the request was HEAD or the
/// status has none (1xx, 204, 304).
enum HTTPResponseWriter {
    static func write(_ response: HTTPResponse, headOnly: Bool, close: Bool, keepAliveHTTP10: Bool, dateField: String,
                      into output: inout [UInt8]) {
        if let head = response.head {
            output.append(contentsOf: head)
        } else {
            writeHead(response, into: &output)
        }
        output.append(contentsOf: dateField.utf8)
        if close {
            output.append(contentsOf: "Connection: close\r\n".utf8)
        } else if keepAliveHTTP10 {
            output.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        output.append(contentsOf: "\r\n".utf8)
        if hasBody(response.status) && !headOnly { output.append(contentsOf: response.body) }
    }

    /// The status line, the application's fields and `Content-Length`.
    static func writeHead(_ response: HTTPResponse, into output: inout [UInt8]) {
        let status = response.status
        output.append(contentsOf: "HTTP/1.1 \(status) \(HTTPResponse.reasonPhrase(status))\r\n".utf8)
        for (name, value) in response.headers {
            output.append(contentsOf: name.utf8)
            output.append(contentsOf: ": ".utf8)
            output.append(contentsOf: value.utf8)
            output.append(contentsOf: "\r\n".utf8)
        }
        if hasBody(status) {
            output.append(contentsOf: "Content-Length: \(response.body.count)\r\n".utf8)
        }
    }

    private static func hasBody(_ status: Int) -> Bool {
        !(100..<200).contains(status) && status != 204 && status != 304
    }
}

/// The `Date` header line, formatted once a second rather than once a response. Each I/O
/// thread keeps its own, so that no lock is shared between them.
struct HTTPDateField {
    private var second: time_t = 0
    private var field = ""

    /// `Date: <IMF-fixdate>\r\n` for the time `now` (seconds since the epoch).
    mutating func field(at now: time_t) -> String {
        if now != second {
            second = now
            field = "Date: \(Self.format(now))\r\n"
        }
        return field
    }

    /// IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func format(_ time: time_t) -> String {
        var time = time
        var parts = tm()
        gmtime_r(&time, &parts)
        var text = [CChar](repeating: 0, count: 32)
        let count = strftime(&text, text.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        return String(decoding: text[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
