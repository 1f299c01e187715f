import Basics
import Glibc

/// Why a request was refused: the status to answer with and a detail a person can act on.
/// Every refusal closes the connection: after one, the server can no longer tell where the
/// next request would start.
struct HTTPParseError: Error, Equatable {
    let status: Int
    let detail: String
}

/// An incremental, strict HTTP/1.1 request parser (RFC 9112). Fed whatever bytes have arrived,
/// it returns each request once its head is complete and its body (if any) read and discarded.
/// Lines end in CRLF or a lone LF (RFC 9112 §2.2); a CR anywhere else is refused. Its answers
/// never depend on how the bytes were split across reads: each check is made at the byte that
/// decides it, so the same bytes give the same requests and the same refusal however they come.
struct HTTPRequestParser {
    enum Result {
        case needMore
        /// The head asks for `100 Continue` before its body is sent (RFC 9110 §10.1.1): send
        /// the interim response, then go on calling `next`.
        case continueExpected
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
        /// After a refusal nothing more is parsed.
        case failed
    }

    /// Longest chunk-size line (size and extensions) accepted.
    static let maxChunkSizeLineLength = 1024

    let limits: HTTPLimits
    let remoteAddress: String
    private var phase = Phase.requestLine
    /// Bytes of the line under way already looked at: none of them is its line feed.
    private var scanned = 0
    private var requestLine = RequestLineScan()
    /// Whether any byte of the next request (an empty line before it included) has been consumed.
    private var started = false
    private var method = ""
    private var target = ""
    private var version = HTTPRequest.Version.http1_1
    private var fields: [(name: String, value: String)] = []
    /// The host of an absolute-form target, which stands for the Host field (RFC 9112 §3.2.2).
    private var absoluteFormAuthority: String?
    private var framing = FramingFields()
    private var headerBytes = 0
    private var bodyBytes = 0

    init(limits: HTTPLimits, remoteAddress: String) {
        self.limits = limits
        self.remoteAddress = remoteAddress
    }

    /// True between requests: nothing of a next request has been consumed or looked at.
    var isBetweenRequests: Bool {
        if case .requestLine = phase { return !started && scanned == 0 }
        return false
    }

    mutating func next(from buffer: inout InboundBuffer) -> Result {
        if case .failed = phase { return .needMore }
        var consumed = 0
        let result = buffer.withUnconsumedBytes { bytes in
            do throws(HTTPParseError) {
                return try parse(bytes, consumed: &consumed)
            } catch {
                return .failure(error)
            }
        }
        buffer.consume(consumed)
        if case .failure = result { phase = .failed }
        return result
    }

    private mutating func parse(_ bytes: UnsafeRawBufferPointer, consumed: inout Int) throws(HTTPParseError) -> Result {
        while true {
            switch phase {
            case .requestLine:
                guard let line = try nextRequestLine(bytes, consumed: &consumed) else { return .needMore }
                try parseRequestLine(line)
                phase = .headers
            case .headers:
                guard let line = try nextHeaderSectionLine(bytes, consumed: &consumed) else { return .needMore }
                if line.isEmpty {
                    if let result = try finishHead() { return result }
                } else {
                    try parseField(line)
                }
            case let .body(remaining):
                let left = Self.skip(remaining, of: bytes, consumed: &consumed)
                guard left == 0 else {
                    phase = .body(remaining: left)
                    return .needMore
                }
                return finishRequest()
            case .chunkSize:
                guard let line = try nextLine(bytes, consumed: &consumed, limit: Self.maxChunkSizeLineLength, orFail: HTTPParseError(
                    status: 400, detail: "a chunk size line is longer than \(Self.maxChunkSizeLineLength) bytes"))
                else { return .needMore }
                let size = try ChunkSizeLine.size(line.text, bodyBytesBefore: bodyBytes, maxBodySize: limits.maxBodySize)
                bodyBytes += size
                phase = size == 0 ? .trailers : .chunkData(remaining: size)
            case let .chunkData(remaining):
                let left = Self.skip(remaining, of: bytes, consumed: &consumed)
                phase = left == 0 ? .chunkDataEnd : .chunkData(remaining: left)
                if left > 0 { return .needMore }
            case .chunkDataEnd:
                let overrun = HTTPParseError(status: 400, detail: "a chunk is longer than its size says")
                guard let line = try nextLine(bytes, consumed: &consumed, limit: 0, orFail: overrun) else { return .needMore }
                guard line.text.isEmpty else { throw overrun }
                phase = .chunkSize
            case .trailers:
                guard let line = try nextHeaderSectionLine(bytes, consumed: &consumed) else { return .needMore }
                if line.isEmpty { return finishRequest() }
                _ = try FieldLine(line) // trailers are checked like fields, then dropped
            case .failed:
                return .needMore
            }
        }
    }

    // MARK: Lines

    /// The next line of the header section (or of the trailers), counted against its limit.
    private mutating func nextHeaderSectionLine(_ bytes: UnsafeRawBufferPointer,
                                                consumed: inout Int) throws(HTTPParseError) -> UnsafeRawBufferPointer? {
        let tooLarge = HTTPParseError(status: 431, detail: "the header section is larger than \(limits.maxHeaderSectionSize) bytes")
        guard let line = try nextLine(bytes, consumed: &consumed, limit: limits.maxHeaderSectionSize - headerBytes,
                                      countingLineEnd: true, orFail: tooLarge)
        else { return nil }
        headerBytes += line.size
        return line.text
    }

    /// Consumes up to `remaining` bytes of a body, which are dropped: how many are still to come.
    private static func skip(_ remaining: Int, of bytes: UnsafeRawBufferPointer, consumed: inout Int) -> Int {
        let taken = min(remaining, bytes.count - consumed)
        consumed += taken
        return remaining - taken
    }

    /// The next whole line without its line end, consuming it, and the bytes it took with its
    /// line end; nil until its line feed has arrived. A line longer than `limit` bytes fails with
    /// `error`: its text alone, or with `countingLineEnd` its line end too (header sections are
    /// measured as sent). A CR is allowed only just before the line feed.
    private mutating func nextLine(_ bytes: UnsafeRawBufferPointer, consumed: inout Int, limit: Int,
                                   countingLineEnd: Bool = false,
                                   orFail error: HTTPParseError) throws(HTTPParseError) -> (text: UnsafeRawBufferPointer, size: Int)? {
        let lineStart = consumed
        let searchFrom = lineStart + scanned
        guard let lineFeed = Self.firstLineFeed(in: bytes, from: searchFrom) else {
            scanned = bytes.count - lineStart
            // Without its line end yet, the line is at least this long (the last byte may be its CR).
            if (countingLineEnd ? scanned + 1 : scanned - 1) > limit { throw error }
            return nil
        }
        scanned = 0
        var end = lineFeed
        if end > lineStart, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let size = lineFeed + 1 - lineStart
        if (countingLineEnd ? size : end - lineStart) > limit { throw error }
        let text = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<end])
        if text.contains(UInt8(ascii: "\r")) {
            throw HTTPParseError(status: 400, detail: "a carriage return inside a line (lines end in CRLF)")
        }
        consumed = lineFeed + 1
        return (text, size)
    }

    private static func firstLineFeed(in bytes: UnsafeRawBufferPointer, from offset: Int) -> Int? {
        guard offset < bytes.count, let base = bytes.baseAddress,
              let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), bytes.count - offset)
        else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// The request line, once its line feed has arrived; empty lines before it are skipped
    /// (RFC 9112 §2.2). Its bytes are checked as they arrive, so a client that is not speaking
    /// HTTP/1.x (a TLS handshake, an HTTP/2 frame) is refused at its first byte, not at a timeout.
    private mutating func nextRequestLine(_ bytes: UnsafeRawBufferPointer, consumed: inout Int) throws(HTTPParseError) -> UnsafeRawBufferPointer? {
        while scanned == 0, consumed < bytes.count {
            if bytes[consumed] == UInt8(ascii: "\n") {
                consumed += 1
            } else if bytes[consumed] == UInt8(ascii: "\r") {
                guard consumed + 1 < bytes.count else {
                    started = true
                    return nil // a CR whose LF may come next
                }
                guard bytes[consumed + 1] == UInt8(ascii: "\n") else { break } // the scan refuses it
                consumed += 2
            } else {
                break
            }
            started = true
        }
        let lineStart = consumed
        var index = lineStart + scanned
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
            try requestLine.check(bytes[index], at: index - lineStart, limit: limits.maxRequestLineLength)
            index += 1
        }
        if index > lineStart { started = true }
        guard index < bytes.count else {
            scanned = index - lineStart
            return nil
        }
        try requestLine.checkComplete()
        scanned = 0
        requestLine = RequestLineScan()
        consumed = index + 1
        let end = bytes[index - 1] == UInt8(ascii: "\r") ? index - 1 : index
        return UnsafeRawBufferPointer(rebasing: bytes[lineStart..<end])
    }

    // MARK: Request line and fields

    /// A request line that `RequestLineScan` found well-formed: `METHOD SP TARGET SP HTTP/d.d`.
    private mutating func parseRequestLine(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) {
        let firstSpace = line.firstIndex(of: UInt8(ascii: " "))!
        let secondSpace = line[(firstSpace + 1)...].firstIndex(of: UInt8(ascii: " "))!
        method = String(decoding: line[..<firstSpace], as: UTF8.self)
        if method == "CONNECT" {
            throw HTTPParseError(status: 501, detail: "this server is no proxy: CONNECT is not supported")
        }
        target = String(decoding: line[(firstSpace + 1)..<secondSpace], as: UTF8.self)
        let versionBytes = line[(secondSpace + 1)...]
        if let (authority, path) = Self.absoluteForm(target) {
            target = path
            absoluteFormAuthority = authority
        } else if line[firstSpace + 1] != UInt8(ascii: "/") && target != "*" {
            throw HTTPParseError(status: 400, detail: "the request target must be a path starting with /, an absolute http URI, or * for OPTIONS")
        }
        let major = versionBytes[versionBytes.startIndex + 5], minor = versionBytes[versionBytes.startIndex + 7]
        guard major == UInt8(ascii: "1") else {
            throw HTTPParseError(status: 505, detail: "this server speaks HTTP/1.0 and HTTP/1.1, not \(String(decoding: versionBytes, as: UTF8.self))")
        }
        // A later 1.x minor version is served as 1.1 (RFC 9110 §2.5).
        version = minor == UInt8(ascii: "0") ? .http1_0 : .http1_1
        if target == "*" && method != "OPTIONS" {
            throw HTTPParseError(status: 400, detail: "the target * is for OPTIONS only")
        }
    }

    /// `http://host:port/path?query` -> (`host:port`, `/path?query`) (RFC 9112 §3.2.2: servers
    /// must accept the absolute form, which proxies send); nil for any other target.
    private static func absoluteForm(_ target: String) -> (authority: String, path: String)? {
        guard target.utf8.first != UInt8(ascii: "/") else { return nil }
        let lowered = target.lowercased()
        guard let scheme = ["http://", "https://"].first(where: lowered.hasPrefix) else { return nil }
        let rest = target.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let afterAuthority = rest[authority.endIndex...]
        return (String(authority), afterAuthority.first == "/" ? String(afterAuthority) : "/" + afterAuthority)
    }

    private mutating func parseField(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) {
        guard fields.count < limits.maxHeaderCount else {
            throw HTTPParseError(status: 431, detail: "more than \(limits.maxHeaderCount) header fields")
        }
        let field = try FieldLine(line)
        framing.note(field)
        fields.append((field.name, field.value))
    }

    // MARK: Finishing the head

    /// Checks the head as a whole and decides on the body: the request when there is none.
    private mutating func finishHead() throws(HTTPParseError) -> Result? {
        if framing.hosts.count > 1 { throw HTTPParseError(status: 400, detail: "more than one Host header field") }
        if framing.hosts.isEmpty && version == .http1_1 {
            throw HTTPParseError(status: 400, detail: "an HTTP/1.1 request must have a Host header field")
        }
        if let authority = absoluteFormAuthority {
            // The target's authority wins over the Host field (RFC 9112 §3.2.2): the application
            // sees one host, the one the request is for.
            fields.removeAll { $0.name.caseInsensitiveEquals("Host") }
            fields.append(("Host", authority))
            framing.hosts = [authority]
        }
        if let host = framing.hosts.first, !HTTPSyntax.isValidHost(host) {
            throw HTTPParseError(status: 400, detail: "the Host header field '\(host)' is not a valid host[:port]")
        }
        let bodyLength = try framing.bodyLength(version: version, maxBodySize: limits.maxBodySize)
        let expectsContinue = try framing.expectsContinue(version: version)
        switch bodyLength {
        case .none:
            return finishRequest()
        case let .fixed(length):
            phase = .body(remaining: length)
        case .chunked:
            phase = .chunkSize
        }
        return expectsContinue ? .continueExpected : nil
    }

    private mutating func finishRequest() -> Result {
        let keepAlive = version == .http1_1 ? !framing.connectionClose : framing.connectionKeepAlive && !framing.connectionClose
        let request = HTTPRequest(method: method, target: target, version: version, headers: HTTPHeaders(fields),
                                  remoteAddress: remoteAddress)
        phase = .requestLine
        started = false
        fields = []
        absoluteFormAuthority = nil
        framing = FramingFields()
        headerBytes = 0
        bodyBytes = 0
        return .request(request, keepAlive: keepAlive)
    }
}
