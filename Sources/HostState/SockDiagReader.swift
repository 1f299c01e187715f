import CLinux
import Glibc
import Sockets

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
        let socket: NetlinkSocket
        do {
            socket = try NetlinkSocket(protocol: netlinkProtocol, receiveTimeoutSeconds: Self.receiveTimeoutSeconds)
        } catch {
            throw .socketRefused(SystemCallError(code: error.code))
        }
        defer { socket.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.receiveBufferSize, alignment: SockDiagMessageParser.alignment)
        defer { buffer.deallocate() }
        var sockets: [ListeningSocket] = []
        for (index, request) in requests.enumerated() {
            let datagram = request.datagram(sequence: UInt32(index + 1))
            let sent = socket.sendToKernel(datagram)
            guard sent == datagram.count else { throw .sendFailed(sent == nil ? .last : SystemCallError(code: EMSGSIZE)) }
            var done = false
            while !done {
                guard let count = socket.receiveFromKernel(into: buffer) else { throw .receiveFailed(.last) }
                guard count <= buffer.count else {
                    throw .malformed("a datagram of \(count) bytes, more than the \(buffer.count) bytes offered")
                }
                let datagram = UnsafeRawBufferPointer(rebasing: buffer[..<count])
                done = try SockDiagMessageParser.read(datagram, transport: request.transport, into: &sockets)
            }
        }
        return sockets
    }
}
