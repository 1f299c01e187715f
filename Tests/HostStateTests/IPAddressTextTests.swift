import Glibc
@testable import HostState
import Testing

/// What the C library writes for an address, which is what `ss` shows.
func inetNtop6(_ address: UInt128) -> String {
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    withUnsafeBytes(of: address.bigEndian) { _ = inet_ntop(AF_INET6, $0.baseAddress, &text, socklen_t(text.count)) }
    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// An IPv6 address from its eight 16-bit groups.
func address(groups: [UInt16]) -> UInt128 {
    groups.reduce(0) { $0 << 16 | UInt128($1) }
}

struct IPAddressTextTests {
    @Test func ipv4IsDottedDecimal() {
        #expect(IPAddressText.ipv4(0x7F00_0001) == "127.0.0.1")
        #expect(IPAddressText.ipv4(0) == "0.0.0.0")
        #expect(IPAddressText.ipv4(0xFFFF_0A00) == "255.255.10.0")
    }

    @Test(arguments: [
        ([0, 0, 0, 0, 0, 0, 0, 0], "::"),
        ([0, 0, 0, 0, 0, 0, 0, 1], "::1"),
        ([0, 0, 0, 0, 0, 0xFFFF, 0x7F00, 1], "::ffff:127.0.0.1"),
        ([0, 0, 0, 0, 0, 0xFFFF, 0, 0], "::ffff:0.0.0.0"),
        ([0, 0, 0, 0, 0, 0, 0x0102, 0x0304], "::1.2.3.4"), // IPv4-compatible, as inet_ntop writes it
        ([0xFD00, 0, 0, 0, 0, 0, 0, 2], "fd00::2"),
        ([0x2001, 0xDB8, 0, 0, 1, 0, 0, 1], "2001:db8::1:0:0:1"), // the first of two equal runs
        ([0x2001, 0xDB8, 0, 1, 1, 1, 1, 1], "2001:db8:0:1:1:1:1:1"), // one zero group is not `::`
        ([1, 0, 0, 0, 0, 0, 0, 0], "1::"),
        ([0xFE80, 0, 0, 0, 0x200, 0xFF, 0xFEFF, 1], "fe80::200:ff:feff:1"),
        ([0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF], "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ([0, 0, 0, 0, 0xFFFF, 0, 0x7F00, 1], "::ffff:0:7f00:1"), // IPv4-translated: not dotted, as inet_ntop
    ] as [([UInt16], String)])
    func ipv6AsInetNtopWritesIt(groups: [UInt16], text: String) {
        #expect(IPAddressText.ipv6(address(groups: groups)) == text)
        #expect(inetNtop6(address(groups: groups)) == text)
    }

    @Test func ipv6MatchesInetNtopOnManyAddresses() {
        // Groups drawn mostly from 0 so that runs of zeros of every length and place come up.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let groups = (0..<8).map { _ -> UInt16 in
                switch Int.random(in: 0..<4, using: &generator) {
                case 0, 1: 0
                case 2: [0xFFFF, 1].randomElement(using: &generator)!
                default: UInt16.random(in: 0...0xFFFF, using: &generator)
                }
            }
            let value = address(groups: groups)
            #expect(IPAddressText.ipv6(value) == inetNtop6(value), "\(groups)")
        }
    }
}
