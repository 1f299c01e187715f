import Foundation

public struct ConnectError: Error, CustomStringConvertible {
    public let description: String
}

/// A test client on a plain TCP socket, so tests can send exactly the bytes they mean.
public final class RawClient {
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
            status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard status == 0 else {
            let error = ConnectError(description: "connect to \(host) port \(port): \(String(cString: strerror(errno)))")
            close(descriptor)
            throw error
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

    /// Sends one byte at a time, each in its own segment.
    public func sendByteByByte(_ text: String) {
        for byte in text.utf8 {
            send([byte])
            usleep(200)
        }
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

    private var pending: [UInt8] = []

    /// The next response, whole: head and the body its Content-Length announces (none for HEAD
    /// when `headOnly`). nil when the connection ends first.
    public func readResponse(headOnly: Bool = false) -> ParsedResponse? {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let response = ParsedResponse.parse(&pending, headOnly: headOnly) { return response }
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count <= 0 { return nil }
            pending += chunk[..<count]
        }
    }

    /// True when the server has closed the connection (reading returns end of file).
    public func isClosedByServer() -> Bool {
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, 0) == 0
    }

    /// Whether something waits to be read (data, or the end of the connection), without waiting.
    public func hasInput() -> Bool {
        var watched = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&watched, 1, 0) == 1
    }

    /// Reads and drops everything until the connection ends or a read times out: the bytes read,
    /// and whether the server ended it (closed or reset) rather than the read timing out.
    public func drain() -> (bytes: Int, endedByServer: Bool) {
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count > 0 {
                total += count
            } else {
                return (total, count == 0 || errno == ECONNRESET)
            }
        }
    }
}

public struct ParsedResponse {
    public let status: Int
    public let headers: [(String, String)]
    public let body: String

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
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
