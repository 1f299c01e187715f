/// Addresses written as inet_ntop(3) writes them, and so as `ss` shows them, without calling it
/// (the same text on every platform, and no buffers to size).
enum IPAddressText {
    static let ipv6Groups = 8

    /// `a.b.c.d` from an address whose first byte is the most significant.
    static func ipv4(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }

    /// RFC 5952 text from an address whose first byte is the most significant: lowercase hex
    /// groups without leading zeros, the longest run of two or more zero groups (the first of
    /// equals) as `::`; and, as inet_ntop does, the last 32 bits as dotted IPv4 for IPv4-mapped
    /// (`::ffff:127.0.0.1`) and IPv4-compatible (`::1.2.3.4`) addresses.
    static func ipv6(_ address: UInt128) -> String {
        let groups = (0..<ipv6Groups).map { UInt16(truncatingIfNeeded: address >> (16 * (ipv6Groups - 1 - $0))) }
        let zeros = longestZeroRun(groups)
        var text = ""
        var index = 0
        while index < ipv6Groups {
            if let zeros, zeros.lowerBound == index {
                // One colon for the run; the next group's own separator makes it `::`.
                text += ":"
                index = zeros.upperBound
                continue
            }
            if index != 0 { text += ":" }
            if index == 6, let zeros, zeros.lowerBound == 0,
               zeros.count == 6 || (zeros.count == 5 && groups[5] == 0xFFFF) {
                text += ipv4(UInt32(truncatingIfNeeded: address))
                return text
            }
            text += String(groups[index], radix: 16)
            index += 1
        }
        if zeros?.upperBound == ipv6Groups { text += ":" }
        return text
    }

    /// The first longest run of at least two zero groups, or nil.
    private static func longestZeroRun(_ groups: [UInt16]) -> Range<Int>? {
        var best: Range<Int>?
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else { index += 1; continue }
            let start = index
            while index < groups.count, groups[index] == 0 { index += 1 }
            if index - start >= 2, index - start > best?.count ?? 0 { best = start..<index }
        }
        return best
    }
}
