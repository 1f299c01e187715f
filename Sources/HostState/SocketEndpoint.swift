/// A socket's address and port, however they were read (a /proc/net table's hex text, a
/// sock_diag message's bytes).
struct SocketEndpoint: Equatable {
    let family: Listener.Family
    /// The address as a number, its first byte the most significant (127.0.0.1 is 0x7F000001).
    /// A number rather than bytes: no allocation per socket, and it sorts as addresses should.
    let address: UInt128
    let port: Int

    init(family: Listener.Family, address: UInt128, port: Int) {
        self.family = family
        self.address = address
        self.port = port
    }

    /// 0.0.0.0:0 or [::]:0, as an unconnected socket's remote end reads.
    var isUnset: Bool { port == 0 && address == 0 }

    var addressText: String {
        switch family {
        case .ipv4: IPAddressText.ipv4(UInt32(truncatingIfNeeded: address))
        case .ipv6: IPAddressText.ipv6(address)
        }
    }
}
