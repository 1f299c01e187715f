import CLinux
import Glibc

/// A netlink datagram socket to the kernel (HostState asks it for the listening sockets over
/// NETLINK_SOCK_DIAG): blocking, with a receive timeout. Whoever opens it closes it once.
public struct NetlinkSocket: Sendable {
    public let descriptor: Int32

    /// A socket of the netlink `protocol`, whose receives give up after `receiveTimeoutSeconds`.
    public init(protocol netlinkProtocol: Int32, receiveTimeoutSeconds: Int) throws(SocketError) {
        descriptor = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkProtocol)
        guard descriptor >= 0 else { throw SocketError("socket(AF_NETLINK, \(netlinkProtocol))") }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        guard setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            let error = SocketError("setsockopt SO_RCVTIMEO")
            Glibc.close(descriptor)
            throw error
        }
    }

    /// Sends `datagram` to the kernel: the bytes sent, or nil when sending failed (errno says why).
    public func sendToKernel(_ datagram: [UInt8]) -> Int? {
        var kernel = sockaddr_nl()
        kernel.nl_family = sa_family_t(AF_NETLINK)
        let sent = withUnsafePointer(to: &kernel) { address in
            address.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                datagram.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, 0, address, socklen_t(MemoryLayout<sockaddr_nl>.size)) }
            }
        }
        return sent < 0 ? nil : sent
    }

    /// The next datagram from the kernel into `buffer`: its whole length (MSG_TRUNC: more than the
    /// buffer when it was cut short), or nil when receiving failed or timed out (errno says why).
    /// Datagrams from anyone else (another process can only send here as root) are dropped.
    public func receiveFromKernel(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        while true {
            var sender = sockaddr_nl()
            var senderLength = socklen_t(MemoryLayout<sockaddr_nl>.size)
            let count = withUnsafeMutablePointer(to: &sender) { address in
                address.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_TRUNC), $0, &senderLength)
                }
            }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if sender.nl_pid == 0 { return count }
        }
    }

    public func close() {
        _ = Glibc.close(descriptor)
    }
}
