import Foundation

public struct ConnectError: Error, CustomStringConvertible {
    public let description: String
}

/// A test client on a plain TCP socket, so tests can send exactly the bytes they mean.
///
/// Sendable so that a test may hand a client to the thread that drives it; unchecked because the
/// bytes read ahead (`pending`) are not locked: a client is used by one thread at a time.
public final class RawClient: @unchecked Sendable {
    let descriptor: Int32

    /// Connects to `host` (127.0.0.1 or ::1) on `port`; reads, and writes the server does not
    /// take, time out after `timeout` seconds.
    public init(port: Int, host: String = "127.0.0.1", timeout: Double = 5) throws {
        let ipv6 = host.contains(":")
        descriptor = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var interval = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        let status: Int32
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            status = Self.connect(descriptor, to: address)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            status = Self.connect(descriptor, to: address)
        }
        guard status == 0 else {
            let error = ConnectError(description: "connect to \(host) port \(port): \(String(cString: strerror(errno)))")
            close(descriptor)
            throw error
        }
        // Each send leaves at once, so pieces sent apart arrive apart.
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
    }

    /// connect(2) to `address`, a sockaddr_in or sockaddr_in6.
    private static func connect<Address>(_ descriptor: Int32, to address: Address) -> Int32 {
        withUnsafePointer(to: address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
    }

    deinit {
        close(descriptor)
    }

    public func send(_ text: String) {
        send(Array(text.utf8))
    }

    public func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Makes the socket's receive buffer as small as the kernel allows: a client that reads
    /// nothing then holds little of what the server sends.
    public func shrinkReceiveBuffer() {
        var size: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Sends one byte at a time, each in its own segment.
    public func sendByteByByte(_ text: String) {
        send(inPieces: text.utf8.map { [$0] })
    }

    /// Sends each piece in its own segment, `pause` apart, so the server reads them apart.
    public func send(inPieces pieces: [[UInt8]], pause: Duration = .microseconds(200)) {
        for (index, piece) in pieces.enumerated() {
            if index > 0 { usleep(useconds_t(pause / .microseconds(1))) }
            send(piece)
        }
    }

    /// Ends what this client sends (a FIN) but keeps reading.
    public func finishSending() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Everything until the server closes the connection (or the read times out).
    public func readToEnd() -> String {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count <= 0 { break }
            received += chunk[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Bytes received and not yet taken as a response.
    private var pending: [UInt8] = []

    /// The next response, whole: head and the body its Content-Length announces (none for HEAD
    /// when `headOnly`). nil when the connection ends first.
    public func readResponse(headOnly: Bool = false) -> ParsedResponse? {
        if case let .response(response) = nextResponse(headOnly: headOnly) { return response }
        return nil
    }

    /// The next response (an interim 1xx one too), or how the connection ended before one was whole.
    public func nextResponse(headOnly: Bool = false) -> Reading {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let response = ParsedResponse.parse(&pending, headOnly: headOnly) { return .response(response) }
            let count = recv(descriptor, &chunk, chunk.count, 0)
            guard count > 0 else { return .ended(Self.ending(count, errno), partial: String(decoding: pending, as: UTF8.self)) }
            pending += chunk[..<count]
        }
    }

    /// How the connection ends now that no more is expected: in order, reset, still open after
    /// the read timeout, or with bytes nobody asked for.
    public func end() -> ConnectionEnd {
        if !pending.isEmpty { return .moreBytes(String(decoding: pending, as: UTF8.self)) }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        return count > 0 ? .moreBytes(String(decoding: chunk[..<count], as: UTF8.self)) : Self.ending(count, errno)
    }

    /// True when the server has closed the connection in order and sent nothing more.
    public func isClosedByServer() -> Bool {
        end() == .closed
    }

    /// Whether something waits to be read (data, or the end of the connection), without waiting.
    public func hasInput() -> Bool {
        var watched = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&watched, 1, 0) == 1
    }

    /// Reads and drops everything until the connection ends or a read times out: how many bytes
    /// that was, and how it ended (`.open` when the read timed out).
    public func drain() -> (bytes: Int, end: ConnectionEnd) {
        var total = pending.count
        pending.removeAll()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            guard count > 0 else { return (total, Self.ending(count, errno)) }
            total += count
        }
    }

    /// What `recv` returning `count` (0 or -1, with `error`) says about the connection.
    private static func ending(_ count: Int, _ error: Int32) -> ConnectionEnd {
        if count == 0 { return .closed }
        return error == EAGAIN || error == EWOULDBLOCK ? .open : .reset
    }
}

/// How a connection ended, as its client saw it.
public enum ConnectionEnd: Equatable, Sendable, CustomStringConvertible {
    /// The server closed it in order: end of file after everything it sent.
    case closed
    /// The server reset it (or receiving failed otherwise): what it sent last may be lost.
    case reset
    /// Still open: nothing arrived within the read timeout.
    case open
    /// The server sent these bytes where nothing more was expected.
    case moreBytes(String)

    public var description: String {
        switch self {
        case .closed: "closed"
        case .reset: "reset"
        case .open: "still open after the read timeout"
        case let .moreBytes(text): "more bytes: \(text.prefix(120).debugDescription)"
        }
    }
}

/// What reading the next response brought.
public enum Reading {
    case response(ParsedResponse)
    /// The connection ended (or the read timed out) first, with these bytes of a response begun.
    case ended(ConnectionEnd, partial: String)
}

/// A response as a client got it: read off the wire (`RawClient`), or the API's own answer in
/// process, made the same shape so that one test body reads either.
public struct ParsedResponse {
    public let status: Int
    public let headers: [(String, String)]
    public let body: String

    public init(status: Int, headers: [(String, String)], body: String) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the field `name`, or nil.
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// Every value of the field `name`, in order.
    public func values(_ name: String) -> [String] {
        headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }

    /// The body parsed as a JSON object, or nil when it is not one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }

    static func parse(_ bytes: inout [UInt8], headOnly: Bool) -> ParsedResponse? {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ")[1])!
        let headers = head.dropFirst().map { line -> (String, String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = headOnly ? 0 : headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        guard bytes.count >= end + 4 + length else { return nil }
        let body = String(decoding: bytes[(end + 4)..<(end + 4 + length)], as: UTF8.self)
        bytes.removeFirst(end + 4 + length)
        return ParsedResponse(status: status, headers: headers, body: body)
    }
}
