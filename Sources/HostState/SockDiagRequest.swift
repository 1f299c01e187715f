import CLinux
import Glibc

/// One sock_diag dump to ask the kernel for: the listening sockets of one family and transport,
/// as an nlmsghdr and an inet_diag_req_v2 (linux/inet_diag.h) in one datagram.
package struct SockDiagRequest: Equatable, Sendable {
    /// TCP and UDP over IPv4 and IPv6: what `ss -tuln` shows.
    package static let listeningSockets: [SockDiagRequest] = [
        SockDiagRequest(.tcp, .ipv4), SockDiagRequest(.tcp, .ipv6), SockDiagRequest(.udp, .ipv4), SockDiagRequest(.udp, .ipv6),
    ]

    let transport: Listener.Transport
    let family: Listener.Family
    /// The IP protocol asked for: the transport's own, unless a test asks for one the kernel has
    /// no sock_diag handler for, to see a refusal.
    let protocolNumber: UInt8

    package init(_ transport: Listener.Transport, _ family: Listener.Family, protocolNumber: UInt8? = nil) {
        self.transport = transport
        self.family = family
        self.protocolNumber = protocolNumber ?? UInt8(transport == .tcp ? IPPROTO_TCP : IPPROTO_UDP)
    }

    /// The datagram, numbered `sequence`: a dump (NLM_F_DUMP) of the sockets in the state that
    /// listens for this transport, with no extensions asked for (idiag_ext 0).
    func datagram(sequence: UInt32) -> [UInt8] {
        var request = inet_diag_req_v2()
        request.sdiag_family = UInt8(family == .ipv4 ? AF_INET : AF_INET6)
        request.sdiag_protocol = protocolNumber
        request.idiag_states = 1 << UInt32(KernelSocketState.listening(transport))
        var header = nlmsghdr()
        header.nlmsg_len = UInt32(MemoryLayout<nlmsghdr>.size + MemoryLayout<inet_diag_req_v2>.size)
        header.nlmsg_type = UInt16(SOCK_DIAG_BY_FAMILY)
        header.nlmsg_flags = UInt16(NLM_F_REQUEST | NLM_F_DUMP)
        header.nlmsg_seq = sequence
        // Both sizes are multiples of four (NLMSG_ALIGNTO): no padding between or after.
        return withUnsafeBytes(of: header, Array.init) + withUnsafeBytes(of: request, Array.init)
    }
}
