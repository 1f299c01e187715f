#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Serialises responses: status line, the application's headers, then the server's own
/// (`Content-Length`, `Date`, `Connection`), then the body unless the request was HEAD or the
/// status has none (1xx, 204, 304).
enum HTTPResponseWriter {
    static func write(_ response: HTTPResponse, headOnly: Bool, close: Bool, keepAliveHTTP10: Bool,
                      into output: inout [UInt8]) {
        let status = response.status
        output.append(contentsOf: "HTTP/1.1 \(status) \(HTTPResponse.reasonPhrase(status))\r\n".utf8)
        for (name, value) in response.headers {
            output.append(contentsOf: name.utf8)
            output.append(contentsOf: ": ".utf8)
            output.append(contentsOf: value.utf8)
            output.append(contentsOf: "\r\n".utf8)
        }
        let hasBody = !(100..<200).contains(status) && status != 204 && status != 304
        if hasBody {
            output.append(contentsOf: "Content-Length: \(response.body.count)\r\n".utf8)
        }
        output.append(contentsOf: HTTPDate.current.utf8)
        if close {
            output.append(contentsOf: "Connection: close\r\n".utf8)
        } else if keepAliveHTTP10 {
            output.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        output.append(contentsOf: "\r\n".utf8)
        if hasBody && !headOnly { output.append(contentsOf: response.body) }
    }

    /// The response for a request the server refused itself: problem+json (RFC 9457).
    static func problem(status: Int, detail: String) -> HTTPResponse {
        let title = HTTPResponse.reasonPhrase(status)
        let body = #"{"type":"about:blank","title":"\#(title)","status":\#(status),"detail":"\#(jsonEscaped(detail))"}"# + "\n"
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/problem+json")
        return HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    private static func jsonEscaped(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\u{0}"..."\u{1F}": escaped += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

/// The `Date` header line, formatted once a second rather than once a response.
enum HTTPDate {
    private static let cache = Mutex<(second: time_t, line: String)>((0, ""))

    static var current: String {
        let now = time(nil)
        return cache.withLock { cached in
            if cached.second != now { cached = (now, "Date: \(format(now))\r\n") }
            return cached.line
        }
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
