import CLinux
import Glibc

/// The listening sockets from the kernel's socket diagnostics over netlink, as `ss` reads them:
/// one NETLINK_SOCK_DIAG socket, one dump per family and transport. With many sockets it is far
/// cheaper than the /proc/net tables: the kernel picks the listening sockets and sends them as
/// binary messages, where the tables print every connection as text. The sockets are those of
/// this process's network namespace, as /proc/net's are.
package struct SockDiagReader: Sendable {
    /// The kernel puts at most 32 KiB in one datagram of a dump (more when the buffer offered is
    /// larger, up to that): one buffer this size is never cut short.
    static let receiveBufferSize = 64 * 1024
    /// The kernel answers at once; a scan that waits longer gives up and reads /proc/net instead.
    static let receiveTimeoutSeconds = 2

    let netlinkProtocol: Int32
    let requests: [SockDiagRequest]

    /// `netlinkProtocol` and `requests` are for tests that want a refusal: a netlink protocol
    /// the kernel does not have, a request it has no handler for.
    package init(netlinkProtocol: Int32 = NETLINK_SOCK_DIAG, requests: [SockDiagRequest] = SockDiagRequest.listeningSockets) {
        self.netlinkProtocol = netlinkProtocol
        self.requests = requests
    }

    /// Every request's listening sockets, in the order asked for, each dump in the kernel's order.
    package func listeningSockets() throws(SockDiagError) -> [ListeningSocket] {
        let descriptor = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkProtocol)
        guard descriptor >= 0 else { throw .socketRefused(.last) }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: Self.receiveTimeoutSeconds, tv_usec: 0)
        guard setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw .socketRefused(.last)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.receiveBufferSize, alignment: SockDiagMessageParser.alignment)
        defer { buffer.deallocate() }
        var sockets: [ListeningSocket] = []
        for (index, request) in requests.enumerated() {
            try send(request.datagram(sequence: UInt32(index + 1)), on: descriptor)
            var done = false
            while !done {
                let datagram = try receive(into: buffer, from: descriptor)
                done = try SockDiagMessageParser.read(datagram, transport: request.transport, into: &sockets)
            }
        }
        return sockets
    }

    private func send(_ datagram: [UInt8], on descriptor: Int32) throws(SockDiagError) {
        var kernel = sockaddr_nl()
        kernel.nl_family = sa_family_t(AF_NETLINK)
        let sent = withUnsafePointer(to: &kernel) { address in
            address.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                datagram.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, 0, address, socklen_t(MemoryLayout<sockaddr_nl>.size)) }
            }
        }
        guard sent == datagram.count else { throw .sendFailed(sent < 0 ? .last : SystemCallError(code: EMSGSIZE)) }
    }

    /// The next datagram from the kernel; datagrams from anyone else (another process can only
    /// send here as root) are dropped.
    private func receive(into buffer: UnsafeMutableRawBufferPointer, from descriptor: Int32) throws(SockDiagError) -> UnsafeRawBufferPointer {
        while true {
            var sender = sockaddr_nl()
            var senderLength = socklen_t(MemoryLayout<sockaddr_nl>.size)
            // MSG_TRUNC: the datagram's whole length, to tell one cut short.
            let count = withUnsafeMutablePointer(to: &sender) { address in
                address.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_TRUNC), $0, &senderLength)
                }
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .receiveFailed(.last)
            }
            guard count <= buffer.count else {
                throw .malformed("a datagram of \(count) bytes, more than the \(buffer.count) bytes offered")
            }
            if sender.nl_pid == 0 { return UnsafeRawBufferPointer(rebasing: buffer[..<count]) }
        }
    }
}
