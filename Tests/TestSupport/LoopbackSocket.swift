import Glibc
import HostState

// Close-on-exec: a child that another test starts meanwhile must not hold the socket too, or it
// is listed as that child's.
private let streamType = Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue)
private let datagramType = Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue)

/// A real socket on a loopback address and a port the kernel chose: listening (TCP) or bound (UDP).
public final class LoopbackSocket {
    static let backlog: Int32 = 16

    public let transport: Listener.Transport
    public let family: Listener.Family
    public let port: Int
    public private(set) var descriptor: Int32

    public var address: String { family == .ipv4 ? "127.0.0.1" : "::1" }

    /// nil when the host cannot bind that family's loopback (IPv6 disabled).
    public init?(_ transport: Listener.Transport, _ family: Listener.Family) {
        self.transport = transport
        self.family = family
        let descriptor = socket(family == .ipv4 ? AF_INET : AF_INET6, transport == .tcp ? streamType : datagramType, 0)
        guard descriptor >= 0 else { return nil }
        var storage = sockaddr_storage()
        var length: socklen_t
        switch family {
        case .ipv4:
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { raw in
                let address = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self)
                address.pointee.sin_family = sa_family_t(AF_INET)
                address.pointee.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            }
        case .ipv6:
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { raw in
                let address = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self)
                address.pointee.sin6_family = sa_family_t(AF_INET6)
                address.pointee.sin6_addr = in6addr_loopback
            }
        }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 }
        }
        guard bound, transport == .udp || listen(descriptor, Self.backlog) == 0 else {
            close(descriptor)
            return nil
        }
        let gotName = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) == 0 }
        }
        guard gotName else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        port = withUnsafeBytes(of: storage) { raw in
            // sin_port and sin6_port sit at the same offset, in network byte order.
            Int(UInt16(bigEndian: raw.load(fromByteOffset: MemoryLayout<sa_family_t>.size, as: UInt16.self)))
        }
    }

    deinit {
        closeSocket()
    }

    public func closeSocket() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    /// The socket's inode, which /proc/net tables and sock_diag list it by; nil once closed.
    public var inode: UInt64? {
        var status = stat()
        guard descriptor >= 0, fstat(descriptor, &status) == 0 else { return nil }
        return UInt64(status.st_ino)
    }

    public func isListed(in listeners: [Listener]) -> Listener? {
        listeners.first { $0.transport == transport && $0.family == family && $0.address == address && $0.port == port }
    }
}
