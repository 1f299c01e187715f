/// The kernel's TCP state numbers (include/net/tcp_states.h) that mean "listening": /proc/net
/// tables print them in hex and sock_diag messages carry them. UDP reuses them: a bound,
/// unconnected UDP socket, which `ss -uln` shows as UNCONN, is in TCP_CLOSE (connect(2) makes it
/// TCP_ESTABLISHED).
enum KernelSocketState {
    static let tcpListen: UInt8 = 0x0A
    static let close: UInt8 = 0x07

    /// The state a listening socket of `transport` is in.
    static func listening(_ transport: Listener.Transport) -> UInt8 {
        switch transport {
        case .tcp: tcpListen
        case .udp: close
        }
    }
}
