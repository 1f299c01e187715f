import Basics

/// An address column of a /proc/net socket table, `ADDRESS:PORT` in hex. The kernel prints the
/// address as it holds it in memory, in 32-bit words each printed in host byte order:
/// `0100007F` is 127.0.0.1 on little-endian x86 (`7F000001` on a big-endian host), and an
/// IPv6 address is four such words. The port is an ordinary number: `1F90` is 8080.
extension SocketEndpoint {
    static let procNetIPv4Digits = 8
    static let procNetIPv6Digits = 32
    static let procNetWordDigits = 8

    /// nil unless `text` is 8 or 32 hex digits, a colon, and up to 4 hex digits.
    init?(procNet text: some Collection<UInt8>) {
        guard let colon = text.firstIndex(of: UInt8(ascii: ":")),
              let port = ASCII.hexadecimal(text[text.index(after: colon)...], as: UInt16.self)
        else { return nil }
        let digits = text[..<colon]
        let family: Listener.Family
        switch digits.count {
        case Self.procNetIPv4Digits: family = .ipv4
        case Self.procNetIPv6Digits: family = .ipv6
        default: return nil
        }
        var address: UInt128 = 0
        var wordStart = digits.startIndex
        while wordStart != digits.endIndex {
            let wordEnd = digits.index(wordStart, offsetBy: Self.procNetWordDigits)
            guard let word = ASCII.hexadecimal(digits[wordStart..<wordEnd], as: UInt32.self) else { return nil }
            // The word's bytes as they lie in this host's memory are the address's bytes, in order.
            address = address << 32 | UInt128(UInt32(bigEndian: word))
            wordStart = wordEnd
        }
        self.init(family: family, address: address, port: Int(port))
    }
}
