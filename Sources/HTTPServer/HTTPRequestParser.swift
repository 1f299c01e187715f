/// Why a request was refused: the status to answer with and a detail a person can act on.
/// Every refusal closes the connection: after one, the server can no longer tell where the
/// next request would start.
struct HTTPParseError: Error, Equatable {
    let status: Int
    let detail: String
}

/// An incremental, strict HTTP/1.1 request parser (RFC 9112). Fed whatever bytes have arrived,
/// it returns each request once its head is complete and its body (if any) read and discarded.
/// Lines end in CRLF or a lone LF (RFC 9112 §2.2); a CR anywhere else is refused.
struct HTTPRequestParser {
    enum Result {
        case needMore
        case request(HTTPRequest, keepAlive: Bool)
        case failure(HTTPParseError)
    }

    private enum Phase {
        case requestLine
        case headers
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
    }

    let limits: HTTPLimits
    let remoteAddress: String
    private var phase = Phase.requestLine
    /// Bytes of the current line already searched for its LF.
    private var searched = 0
    /// Bytes the last line took, its line end included.
    private var lastLineSize = 0
    private var method = ""
    private var target = ""
    private var version = HTTPRequest.Version.http1_1
    private var fields: [(name: String, value: String)] = []
    private var headerBytes = 0
    private var bodyBytes = 0
    private var keepAlive = true

    init(limits: HTTPLimits, remoteAddress: String) {
        self.limits = limits
        self.remoteAddress = remoteAddress
    }

    /// True between requests: nothing of a next request has been consumed.
    var isBetweenRequests: Bool {
        if case .requestLine = phase { return searched == 0 }
        return false
    }

    mutating func next(from buffer: inout InboundBuffer) -> Result {
        do {
            while true {
                switch phase {
                case .requestLine:
                    guard let line = try nextLine(from: &buffer, limit: limits.maxRequestLineLength, orFail: HTTPParseError(
                        status: 414, detail: "the request line is longer than \(limits.maxRequestLineLength) bytes"))
                    else { return .needMore }
                    if line.isEmpty { continue } // RFC 9112 §2.2: empty lines before a request are ignored
                    try parseRequestLine(line)
                    phase = .headers
                case .headers:
                    guard let line = try nextLine(from: &buffer, limit: limits.maxHeaderSectionSize - headerBytes,
                                                  countingLineEnd: true, orFail: headerSectionTooLarge)
                    else { return .needMore }
                    headerBytes += lastLineSize
                    if line.isEmpty {
                        if let request = try finishHead() { return request }
                        continue
                    }
                    try parseField(line)
                case let .body(remaining):
                    let taken = min(remaining, buffer.count)
                    buffer.consume(taken)
                    guard taken == remaining else {
                        phase = .body(remaining: remaining - taken)
                        return .needMore
                    }
                    return finishRequest()
                case .chunkSize:
                    guard let line = try nextLine(from: &buffer, limit: Self.maxChunkSizeLineLength, orFail: HTTPParseError(
                        status: 400, detail: "a chunk size line is longer than \(Self.maxChunkSizeLineLength) bytes"))
                    else { return .needMore }
                    let size = try Self.chunkSize(line)
                    bodyBytes += size
                    guard bodyBytes <= limits.maxBodySize else {
                        throw HTTPParseError(status: 413, detail: "the request body is larger than \(limits.maxBodySize) bytes")
                    }
                    phase = size == 0 ? .trailers : .chunkData(remaining: size)
                case let .chunkData(remaining):
                    let taken = min(remaining, buffer.count)
                    buffer.consume(taken)
                    guard taken == remaining else {
                        phase = .chunkData(remaining: remaining - taken)
                        return .needMore
                    }
                    phase = .chunkDataEnd
                case .chunkDataEnd:
                    let overrun = HTTPParseError(status: 400, detail: "a chunk is longer than its size says")
                    guard let line = try nextLine(from: &buffer, limit: 0, orFail: overrun) else { return .needMore }
                    guard line.isEmpty else { throw overrun }
                    phase = .chunkSize
                case .trailers:
                    guard let line = try nextLine(from: &buffer, limit: limits.maxHeaderSectionSize - headerBytes,
                                                  countingLineEnd: true, orFail: headerSectionTooLarge)
                    else { return .needMore }
                    headerBytes += lastLineSize
                    if line.isEmpty { return finishRequest() }
                    _ = try Self.splitField(line) // trailers are checked like fields, then dropped
                }
            }
        } catch let error as HTTPParseError {
            return .failure(error)
        } catch {
            return .failure(HTTPParseError(status: 400, detail: "\(error)"))
        }
    }

    // MARK: Lines

    /// Longest chunk-size line (size and extensions) accepted.
    static let maxChunkSizeLineLength = 1024

    private var headerSectionTooLarge: HTTPParseError {
        HTTPParseError(status: 431, detail: "the header section is larger than \(limits.maxHeaderSectionSize) bytes")
    }

    /// The next whole line without its line end, consuming it; nil until one has arrived.
    /// A line longer than `limit` bytes fails with `error`: its text alone, or with
    /// `countingLineEnd` its line end too (header sections are measured as sent).
    private mutating func nextLine(from buffer: inout InboundBuffer, limit: Int, countingLineEnd: Bool = false,
                                   orFail error: HTTPParseError) throws(HTTPParseError) -> [UInt8]? {
        guard let lineFeed = buffer.firstIndex(of: UInt8(ascii: "\n"), from: searched) else {
            searched = buffer.count
            // Without its line end yet, the line is at least this long (the last byte may be its CR).
            if (countingLineEnd ? searched + 1 : searched - 1) > limit { throw error }
            return nil
        }
        searched = 0
        var end = lineFeed
        if end > 0, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        lastLineSize = lineFeed + 1
        if (countingLineEnd ? lastLineSize : end) > limit { throw error }
        var line = [UInt8]()
        line.reserveCapacity(end)
        for offset in 0..<end {
            let byte = buffer[offset]
            guard byte != UInt8(ascii: "\r") else {
                throw HTTPParseError(status: 400, detail: "a carriage return inside a line (lines end in CRLF)")
            }
            line.append(byte)
        }
        buffer.consume(lineFeed + 1)
        return line
    }

    // MARK: Request line and fields

    private mutating func parseRequestLine(_ line: [UInt8]) throws(HTTPParseError) {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw HTTPParseError(status: 400, detail: "the request line must be METHOD SP TARGET SP HTTP-VERSION, single spaces")
        }
        guard parts[0].allSatisfy(HTTPSyntax.isTokenCharacter) else {
            throw HTTPParseError(status: 400, detail: "the method is not a token")
        }
        guard parts[1].allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw HTTPParseError(status: 400, detail: "the request target has a character that must be percent-encoded")
        }
        method = String(decoding: parts[0], as: UTF8.self)
        target = String(decoding: parts[1], as: UTF8.self)
        if let path = Self.pathOfAbsoluteForm(target) {
            target = path
        } else if parts[1].first != UInt8(ascii: "/") && target != "*" {
            throw HTTPParseError(status: 400, detail: "the request target must be a path starting with /, an absolute http URI, or * for OPTIONS")
        }
        version = try Self.version(parts[2])
        if target == "*" && method != "OPTIONS" {
            throw HTTPParseError(status: 400, detail: "the target * is for OPTIONS only")
        }
    }

    /// `http://host:port/path?query` -> `/path?query` (RFC 9112 §3.2.2: servers must accept the
    /// absolute form, which proxies send); nil for any other target.
    private static func pathOfAbsoluteForm(_ target: String) -> String? {
        let lowered = target.lowercased()
        guard let scheme = ["http://", "https://"].first(where: lowered.hasPrefix) else { return nil }
        let afterAuthority = target.dropFirst(scheme.count).drop { $0 != "/" && $0 != "?" }
        return afterAuthority.first == "/" ? String(afterAuthority) : "/" + afterAuthority
    }

    private static func version(_ text: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPRequest.Version {
        let bytes = Array(text)
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8), HTTPSyntax.isDigit(bytes[5]),
              bytes[6] == UInt8(ascii: "."), HTTPSyntax.isDigit(bytes[7])
        else { throw HTTPParseError(status: 400, detail: "the HTTP version must look like HTTP/1.1") }
        guard bytes[5] == UInt8(ascii: "1") else {
            throw HTTPParseError(status: 505, detail: "this server speaks HTTP/1.0 and HTTP/1.1, not \(String(decoding: bytes, as: UTF8.self))")
        }
        return bytes[7] == UInt8(ascii: "0") ? .http1_0 : .http1_1
    }

    private mutating func parseField(_ line: [UInt8]) throws(HTTPParseError) {
        guard fields.count < limits.maxHeaderCount else {
            throw HTTPParseError(status: 431, detail: "more than \(limits.maxHeaderCount) header fields")
        }
        fields.append(try Self.splitField(line))
    }

    /// `name: value` with the value's surrounding spaces and tabs trimmed.
    private static func splitField(_ line: [UInt8]) throws(HTTPParseError) -> (name: String, value: String) {
        if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
            throw HTTPParseError(status: 400, detail: "a header line starts with whitespace (obsolete line folding is not accepted)")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw HTTPParseError(status: 400, detail: "a header line has no colon")
        }
        let name = line[..<colon]
        guard !name.isEmpty else { throw HTTPParseError(status: 400, detail: "a header field has an empty name") }
        guard name.allSatisfy(HTTPSyntax.isTokenCharacter) else {
            let detail = name.last == UInt8(ascii: " ") || name.last == UInt8(ascii: "\t")
                ? "whitespace between a header field name and its colon" : "a header field name is not a token"
            throw HTTPParseError(status: 400, detail: detail)
        }
        var value = line[(colon + 1)...]
        while let first = value.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { value.removeFirst() }
        while let last = value.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { value.removeLast() }
        guard value.allSatisfy(HTTPSyntax.isFieldValueCharacter) else {
            throw HTTPParseError(status: 400, detail: "the value of \(String(decoding: name, as: UTF8.self)) has a control character")
        }
        // Field values may hold obs-text (bytes above 0x7E); they are kept as Latin-1 would read them.
        let text = value.allSatisfy { $0 < 0x80 }
            ? String(decoding: value, as: UTF8.self) : String(value.map { Character(Unicode.Scalar($0)) })
        return (String(decoding: name, as: UTF8.self), text)
    }

    // MARK: Finishing the head

    /// Checks the head as a whole and decides on the body: the request when there is none.
    private mutating func finishHead() throws(HTTPParseError) -> Result? {
        let headers = HTTPHeaders(fields)
        let hosts = headers.values("Host")
        if hosts.count > 1 { throw HTTPParseError(status: 400, detail: "more than one Host header field") }
        if let host = hosts.first, !HTTPSyntax.isValidHost(host) {
            throw HTTPParseError(status: 400, detail: "the Host header field '\(host)' is not a valid host[:port]")
        }
        if hosts.isEmpty && version == .http1_1 {
            throw HTTPParseError(status: 400, detail: "an HTTP/1.1 request must have a Host header field")
        }

        let connection = headers.values("Connection").flatMap(HTTPSyntax.commaSeparated)
        keepAlive = version == .http1_1
            ? !connection.contains { $0.caseInsensitiveEquals("close") }
            : connection.contains { $0.caseInsensitiveEquals("keep-alive") }

        let transferCodings = headers.values("Transfer-Encoding").flatMap(HTTPSyntax.commaSeparated)
        let contentLengths = headers.values("Content-Length").flatMap(HTTPSyntax.commaSeparated)
        if !headers.values("Transfer-Encoding").isEmpty {
            guard contentLengths.isEmpty else {
                throw HTTPParseError(status: 400, detail: "both Transfer-Encoding and Content-Length: the body's length is ambiguous")
            }
            guard version == .http1_1 else {
                throw HTTPParseError(status: 400, detail: "Transfer-Encoding in an HTTP/1.0 request")
            }
            guard let last = transferCodings.last, last.caseInsensitiveEquals("chunked") else {
                throw HTTPParseError(status: 400, detail: "the last transfer coding must be chunked")
            }
            guard transferCodings.count == 1 else {
                throw HTTPParseError(status: 501, detail: "transfer codings other than chunked are not supported")
            }
            phase = .chunkSize
            return nil
        }
        if let first = contentLengths.first {
            guard contentLengths.allSatisfy({ $0 == first }) else {
                throw HTTPParseError(status: 400, detail: "Content-Length values differ")
            }
            guard !first.isEmpty, first.utf8.allSatisfy(HTTPSyntax.isDigit) else {
                throw HTTPParseError(status: 400, detail: "Content-Length '\(first)' is not a number")
            }
            guard first.utf8.count <= 9, let length = Int(first), length <= limits.maxBodySize else {
                throw HTTPParseError(status: 413, detail: "the request body is larger than \(limits.maxBodySize) bytes")
            }
            if length > 0 {
                phase = .body(remaining: length)
                return nil
            }
        }
        return finishRequest()
    }

    private mutating func finishRequest() -> Result {
        let request = HTTPRequest(method: method, target: target, version: version, headers: HTTPHeaders(fields),
                                  remoteAddress: remoteAddress)
        let result = Result.request(request, keepAlive: keepAlive)
        phase = .requestLine
        fields.removeAll(keepingCapacity: true)
        headerBytes = 0
        bodyBytes = 0
        return result
    }

    /// A chunk-size line: hex digits, then optionally `;extensions`.
    private static func chunkSize(_ line: [UInt8]) throws(HTTPParseError) -> Int {
        let digits = line.prefix { $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
        guard !digits.isEmpty, digits.count <= 8, digits.allSatisfy(HTTPSyntax.isHexDigit),
              let size = Int(String(decoding: digits, as: UTF8.self), radix: 16)
        else { throw HTTPParseError(status: 400, detail: "a chunk size is not a hexadecimal number") }
        return size
    }
}
