import CLinux
import Glibc

/// A non-blocking TCP socket. A value type over the descriptor: whoever owns it closes it once.
public struct Socket: Sendable {
    public let descriptor: Int32

    /// Takes over `descriptor`, an open non-blocking stream socket.
    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    public enum ReadResult: Equatable {
        case bytes(Int)
        case wouldBlock
        /// The peer shut down its side: it sends nothing more.
        case end
        /// Reset by the peer, or worse: the connection is over.
        case failed
    }

    /// Opens a listening socket on `host` (a numeric address or a name; `::` serves IPv6 and
    /// IPv4 both) and `port` (0: any free port).
    public static func listen(host: String, port: Int, backlog: Int32) throws(SocketError) -> Socket {
        try opened(host: host, port: port, flags: AI_PASSIVE, what: "listen address") { (listener, address) throws(SocketError) in
            try listener.setOption(SOL_SOCKET, SO_REUSEADDR, 1)
            if address.ai_family == AF_INET6 {
                // `::` means every address, IPv4 ones included (as IPv4-mapped IPv6).
                try listener.setOption(Int32(IPPROTO_IPV6), IPV6_V6ONLY, 0)
            }
            guard bind(listener.descriptor, address.ai_addr, address.ai_addrlen) == 0 else {
                throw SocketError("bind to \(host) port \(port)")
            }
            guard Glibc.listen(listener.descriptor, backlog) == 0 else { throw SocketError("listen") }
        }
    }

    /// A connection to `host` (a numeric IPv4 or IPv6 address) and `port`, made blocking, then
    /// non-blocking, with TCP_NODELAY: a client's (the load generator's).
    public static func connect(host: String, port: Int) throws(SocketError) -> Socket {
        try opened(host: host, port: port, flags: AI_NUMERICHOST, what: "address") { (client, address) throws(SocketError) in
            guard Glibc.connect(client.descriptor, address.ai_addr, address.ai_addrlen) == 0 else {
                throw SocketError("connect to \(host) port \(port)")
            }
            try client.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        }
    }

    /// A stream socket for the first address `host` and `port` resolve to (`flags` beside
    /// AI_NUMERICSERV), set up by `setUp`, then made non-blocking; closed again if either fails.
    private static func opened(host: String, port: Int, flags: Int32, what: String,
                               setUp: (Socket, addrinfo) throws(SocketError) -> Void) throws(SocketError) -> Socket {
        var hints = addrinfo()
        hints.ai_flags = flags | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw SocketError("cannot resolve the \(what) '\(host)': \(String(cString: gai_strerror(status)))", code: 0)
        }
        defer { freeaddrinfo(results) }
        let descriptor = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError("socket") }
        let socket = Socket(descriptor: descriptor)
        do throws(SocketError) {
            try setUp(socket, first.pointee)
            try socket.makeNonBlocking()
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// The port this socket is bound to.
    public var localPort: Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Self.port(of: storage)
    }

    /// The next pending connection and the client's address, or nil when none is waiting.
    /// Throws when accepting failed; `SocketError.isOutOfResources` tells a lack of descriptors
    /// or memory, which waiting may cure, from other failures.
    public func accept() throws(SocketError) -> (Socket, String)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let client = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                accept4(descriptor, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            }
        }
        guard client >= 0 else {
            switch errno {
            case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED, EPROTO: return nil
            default: throw SocketError("accept")
            }
        }
        let socket = Socket(descriptor: client)
        try? socket.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1) // responses go out whole, at once
        return (socket, Self.address(of: storage))
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        while true {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .end }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed
            }
        }
    }

    /// Sends what the socket takes now: the count sent (0 when it would block), nil when the peer is gone.
    public func write(_ bytes: UnsafeRawBufferPointer) -> Int? {
        while true {
            let count = send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return count }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return 0
            default: return nil
            }
        }
    }

    /// Sends the end of the stream (a FIN) while reading stays open.
    public func shutDownWriting() {
        _ = shutdown(descriptor, Int32(SHUT_WR))
    }

    public func close() {
        _ = Glibc.close(descriptor)
    }

    private func setOption(_ level: Int32, _ name: Int32, _ value: Int32) throws(SocketError) {
        var value = value
        guard setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SocketError("setsockopt \(name)")
        }
    }

    private func makeNonBlocking() throws(SocketError) {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else { throw SocketError("fcntl O_NONBLOCK") }
    }

    /// `192.0.2.1`, `2001:db8::1` or `::ffff:192.0.2.1`.
    public static func address(of storage: sockaddr_storage) -> String {
        var storage = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = Int32(storage.ss_family)
        withUnsafePointer(to: &storage) { pointer in
            if family == AF_INET {
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var raw = address.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
                }
            } else if family == AF_INET6 {
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var raw = address.pointee.sin6_addr
                    _ = inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
                }
            }
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func port(of storage: sockaddr_storage) -> Int {
        var storage = storage
        let family = Int32(storage.ss_family)
        return withUnsafePointer(to: &storage) { pointer in
            switch family {
            case AF_INET: pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            case AF_INET6: pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            default: 0
            }
        }
    }
}
