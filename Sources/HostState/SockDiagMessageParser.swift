import CLinux
import Glibc

/// Reads one datagram of a sock_diag dump's answer: netlink messages (an nlmsghdr each, at
/// four-byte boundaries), each an inet_diag_msg (linux/inet_diag.h) for one socket, until
/// NLMSG_DONE; or NLMSG_ERROR when the kernel refused the dump. Addresses and ports are in
/// network byte order, uid and inode in host order. A pure function of the bytes.
enum SockDiagMessageParser {
    static let headerSize = MemoryLayout<nlmsghdr>.size
    static let socketMessageSize = MemoryLayout<inet_diag_msg>.size
    static let alignment = 4

    /// Adds the datagram's listening sockets of `transport` (the transport the dump asked for:
    /// the messages do not say) to `sockets`; true once it holds the dump's end, NLMSG_DONE.
    static func read(
        _ datagram: UnsafeRawBufferPointer, transport: Listener.Transport, into sockets: inout [ListeningSocket]
    ) throws(SockDiagError) -> Bool {
        var offset = 0
        while offset < datagram.count {
            guard datagram.count - offset >= headerSize else {
                throw .malformed("\(datagram.count - offset) bytes at offset \(offset), too few for a message header")
            }
            let header = datagram.loadUnaligned(fromByteOffset: offset, as: nlmsghdr.self)
            let length = Int(header.nlmsg_len)
            guard length >= headerSize, length <= datagram.count - offset else {
                throw .malformed("message at offset \(offset) says it is \(length) bytes; \(datagram.count - offset) are left")
            }
            let payload = UnsafeRawBufferPointer(rebasing: datagram[(offset + headerSize)..<(offset + length)])
            switch Int32(header.nlmsg_type) {
            case Int32(SOCK_DIAG_BY_FAMILY):
                guard payload.count >= socketMessageSize else {
                    throw .malformed("socket message at offset \(offset) has \(payload.count) bytes, fewer than \(socketMessageSize)")
                }
                let message = payload.loadUnaligned(as: inet_diag_msg.self)
                if let socket = try listeningSocket(message, transport: transport) { sockets.append(socket) }
            case NLMSG_DONE:
                // Its payload, where there is one, is the dump's outcome: 0, or a negative errno.
                if payload.count >= MemoryLayout<Int32>.size, case let code = payload.loadUnaligned(as: Int32.self), code < 0 {
                    throw .dumpRefused(SystemCallError(code: -code))
                }
                return true
            case NLMSG_ERROR:
                guard payload.count >= MemoryLayout<Int32>.size else {
                    throw .malformed("error message at offset \(offset) has no error code")
                }
                let code = payload.loadUnaligned(as: Int32.self)
                // 0 is an acknowledgement, which the request did not ask for but does no harm.
                if code != 0 { throw .dumpRefused(SystemCallError(code: code < 0 ? -code : code)) }
            default:
                break // NLMSG_NOOP, and any type a later kernel adds: nothing to read.
            }
            offset += (length + alignment - 1) & ~(alignment - 1)
        }
        return false
    }

    /// The socket `message` describes, if it listens as `transport` does: TCP in LISTEN; UDP in
    /// CLOSE with no remote end (the kernel picks by state already; this keeps to /proc's rule).
    static func listeningSocket(_ message: inet_diag_msg, transport: Listener.Transport) throws(SockDiagError) -> ListeningSocket? {
        let family: Listener.Family
        switch Int32(message.idiag_family) {
        case AF_INET: family = .ipv4
        case AF_INET6: family = .ipv6
        default: throw .malformed("socket message of address family \(message.idiag_family), not AF_INET or AF_INET6")
        }
        let local = SocketEndpoint(family: family, address: address(message.id.idiag_src, family: family),
                                   port: Int(UInt16(bigEndian: message.id.idiag_sport)))
        guard message.idiag_state == KernelSocketState.listening(transport) else { return nil }
        if transport == .udp {
            let remote = SocketEndpoint(family: family, address: address(message.id.idiag_dst, family: family),
                                        port: Int(UInt16(bigEndian: message.id.idiag_dport)))
            guard remote.isUnset else { return nil }
        }
        return ListeningSocket(transport: transport, local: local, uid: message.idiag_uid, inode: UInt64(message.idiag_inode))
    }

    /// The address in `words` (network byte order, as they lie in memory): the first word for
    /// IPv4, all four for IPv6.
    private static func address(_ words: (UInt32, UInt32, UInt32, UInt32), family: Listener.Family) -> UInt128 {
        let first = UInt128(UInt32(bigEndian: words.0))
        guard family == .ipv6 else { return first }
        return first << 96 | UInt128(UInt32(bigEndian: words.1)) << 64 | UInt128(UInt32(bigEndian: words.2)) << 32
            | UInt128(UInt32(bigEndian: words.3))
    }
}
