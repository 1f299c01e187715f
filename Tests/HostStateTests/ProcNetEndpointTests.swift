@testable import HostState
import Testing
import TestSupport

func endpoint(_ text: String) -> SocketEndpoint? {
    SocketEndpoint(procNet: Array(text.utf8))
}

@Suite(.needsLittleEndianHost)
struct ProcNetEndpointTests {
    @Test func ipv4WordsAreInHostByteOrderAndPortsAreNot() {
        #expect(endpoint("0100007F:1F90") == SocketEndpoint(family: .ipv4, address: 0x7F00_0001, port: 8080))
        #expect(endpoint("3500007F:0035")?.addressText == "127.0.0.53")
        #expect(endpoint("0202A8C0:FFFF") == SocketEndpoint(family: .ipv4, address: 0xC0A8_0202, port: 65535))
        #expect(endpoint("00000000:0000")?.addressText == "0.0.0.0")
    }

    @Test func ipv6IsFourHostOrderWords() {
        #expect(endpoint("00000000000000000000000001000000:0277")?.addressText == "::1")
        #expect(endpoint("00000000000000000000000000000000:0050")?.addressText == "::")
        #expect(endpoint("0000000000000000FFFF00000100007F:2382")?.addressText == "::ffff:127.0.0.1")
        #expect(endpoint("000000FD000000000000000002000000:01BB")?.addressText == "fd00::2")
        #expect(endpoint("000080FE00000000FF0000020100FFFE:0016")?.addressText == "fe80::200:ff:feff:1")
        #expect(endpoint("B80D0120000000000000000001000000:0035")?.addressText == "2001:db8::1")
        #expect(endpoint("0000000000000000FFFF00000100007F:2382")
            == SocketEndpoint(family: .ipv6, address: 0xFFFF_7F00_0001, port: 0x2382))
    }

    @Test func unsetRemoteEnds() {
        #expect(endpoint("00000000:0000")?.isUnset == true)
        #expect(endpoint("00000000000000000000000000000000:0000")?.isUnset == true)
        #expect(endpoint("00000000:0035")?.isUnset == false)
        #expect(endpoint("0100007F:0000")?.isUnset == false)
    }

    @Test(arguments: ["", ":", "0100007F", "0100007F:", "0100007F:12345", "100007F:1F90", "0100007G:1F90",
                      "0100007F:1F9G", "0000000000000000FFFF00000100007F0:2382", "0100007F1F90", "0100007F:-1"])
    func malformedEndpointsAreRefused(_ text: String) {
        #expect(endpoint(text) == nil)
    }
}
