import Glibc
import Sockets

/// What a response read whole said.
struct LoadResponse {
    let status: Int
    /// It carried `Connection: close`: the server ends the connection after it.
    let closes: Bool
}

/// One keep-alive client connection of the load generator: it sends one request at a time and
/// reads its response whole (status line, Content-Length body).
final class LoadConnection {
    let socket: Socket
    /// When the request on the wire was due (open loop) or sent (closed loop), in ns; nil when idle.
    var inFlightSince: UInt64?
    /// Due times of requests waiting for this connection to be free (open loop).
    var waiting: [UInt64] = []
    private var received: [UInt8] = []
    private var scanned = 0

    init(host: String, port: Int) throws(LoadError) {
        do {
            socket = try Socket.connect(host: host, port: port)
        } catch {
            throw LoadError("\(error)")
        }
    }

    deinit {
        socket.close()
    }

    /// Sends `request` whole (small requests fit the socket buffer of an idle connection).
    func send(_ request: [UInt8], since: UInt64) -> Bool {
        inFlightSince = since
        return request.withUnsafeBytes { socket.write($0) } == request.count
    }

    /// Reads what has arrived: the response it completes, nil while incomplete; throws when the
    /// connection ended.
    func readResponse(into buffer: UnsafeMutableRawBufferPointer) throws(LoadError) -> LoadResponse? {
        var ended = false
        reading: while true {
            switch socket.read(into: buffer) {
            case let .bytes(count): received += UnsafeRawBufferPointer(rebasing: buffer[..<count])
            case .end: ended = true; break reading
            case .wouldBlock: break reading
            case .failed: throw LoadError("read: \(String(cString: strerror(errno)))")
            }
        }
        // A response followed by the server's end is still a response; the end alone is not.
        guard let response = try completeResponse() else {
            if ended { throw LoadError("closed by the server") }
            return nil
        }
        return response
    }

    private static let headEnd = Array("\r\n\r\n".utf8)
    private static let lengthName = Array("content-length:".utf8)
    private static let closeField = Array("\r\nconnection: close".utf8)

    private func completeResponse() throws(LoadError) -> LoadResponse? {
        guard let end = received.withUnsafeBufferPointer({ Self.find(Self.headEnd, in: $0, from: max(0, scanned - 3)) }) else {
            scanned = received.count
            return nil
        }
        let head = received[..<end]
        guard head.count > 12, let status = Int(String(decoding: head[9..<12], as: UTF8.self)) else {
            throw LoadError("not an HTTP response")
        }
        var length = 0
        let lowered = head.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        if let at = lowered.withUnsafeBufferPointer({ Self.find(Self.lengthName, in: $0, from: 0) }) {
            let digits = lowered[(at + Self.lengthName.count)...].drop { $0 == 32 }.prefix { $0 >= 48 && $0 <= 57 }
            length = Int(String(decoding: digits, as: UTF8.self)) ?? 0
        }
        let total = end + 4 + length
        guard received.count >= total else { return nil }
        let closes = lowered.withUnsafeBufferPointer { Self.find(Self.closeField, in: $0, from: 0) } != nil
        received.removeFirst(total)
        scanned = 0
        inFlightSince = nil
        return LoadResponse(status: status, closes: closes)
    }

    private static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if needle.indices.allSatisfy({ haystack[index + $0] == needle[$0] }) { return index }
        }
        return nil
    }
}

struct LoadError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
