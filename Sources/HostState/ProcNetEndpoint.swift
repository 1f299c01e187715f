/// An address column of a /proc/net socket table, `ADDRESS:PORT` in hex. The kernel prints the
/// address as it holds it in memory, in 32-bit words each printed in host byte order:
/// `0100007F` is 127.0.0.1 on little-endian x86 (`7F000001` on a big-endian host), and an
/// IPv6 address is four such words. The port is an ordinary number: `1F90` is 8080.
struct ProcNetEndpoint: Equatable {
    static let ipv4Digits = 8
    static let ipv6Digits = 32
    static let wordDigits = 8

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

    /// nil unless `text` is 8 or 32 hex digits, a colon, and up to 4 hex digits.
    init?(_ text: some Collection<UInt8>) {
        guard let colon = text.firstIndex(of: UInt8(ascii: ":")),
              let port = ASCIINumber.hexadecimal(text[text.index(after: colon)...], as: UInt16.self)
        else { return nil }
        let digits = text[..<colon]
        switch digits.count {
        case Self.ipv4Digits: family = .ipv4
        case Self.ipv6Digits: family = .ipv6
        default: return nil
        }
        var address: UInt128 = 0
        var wordStart = digits.startIndex
        while wordStart != digits.endIndex {
            let wordEnd = digits.index(wordStart, offsetBy: Self.wordDigits)
            guard let word = ASCIINumber.hexadecimal(digits[wordStart..<wordEnd], as: UInt32.self) else { return nil }
            // The word's bytes as they lie in this host's memory are the address's bytes, in order.
            address = address << 32 | UInt128(UInt32(bigEndian: word))
            wordStart = wordEnd
        }
        self.address = address
        self.port = Int(port)
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
