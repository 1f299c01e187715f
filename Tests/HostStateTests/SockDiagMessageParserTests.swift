import CLinux
import Glibc
@testable import HostState
import Testing
import TestSupport

/// What the parser reads from `datagrams` of one dump, and whether the last held its end.
func parsed(_ datagrams: [[UInt8]], _ transport: Listener.Transport) throws(SockDiagError) -> (sockets: [SocketSummary], done: Bool) {
    var sockets: [ListeningSocket] = []
    var done = false
    for datagram in datagrams {
        #expect(!done, "a datagram after the dump's end")
        done = try datagram.withUnsafeBytes { bytes in
            Result { () throws(SockDiagError) in try SockDiagMessageParser.read(bytes, transport: transport, into: &sockets) }
        }.get()
    }
    #expect(sockets.allSatisfy { $0.transport == transport })
    return (sockets.map(SocketSummary.init), done)
}

/// A netlink message written out byte by byte as linux/netlink.h lays it out (little-endian):
/// nlmsghdr's length, type, flags, sequence and port id, then the payload, then padding to four bytes.
func netlinkMessage(type: UInt16, payload: [UInt8]) -> [UInt8] {
    let length = UInt32(16 + payload.count)
    var bytes = withUnsafeBytes(of: length.littleEndian, Array.init) + withUnsafeBytes(of: type.littleEndian, Array.init)
    bytes += [0x02, 0x00] + [1, 0, 0, 0] + [0, 0, 0, 0] + payload
    return bytes + Array(repeating: 0, count: (4 - bytes.count % 4) % 4)
}

func errorCode(_ code: Int32) -> [UInt8] {
    withUnsafeBytes(of: code.littleEndian, Array.init)
}

/// The captured tcp dump's first message (127.0.0.1:8080, LISTEN), alone.
let capturedListenMessage = Array(SockDiagFixtures.tcp[0][0..<0x7C])

@Suite(.needsLittleEndianHost)
struct SockDiagMessageParserTests {
    @Test func tcpListeningSocketsAndNotTheConnections() throws {
        let (sockets, done) = try parsed(SockDiagFixtures.tcp, .tcp)
        #expect(done)
        #expect(sockets == [
            SocketSummary(.ipv4, "127.0.0.1", 8080, inode: 638_869),
            SocketSummary(.ipv4, "0.0.0.0", 5432, inode: 638_870),
            SocketSummary(.ipv4, "127.0.0.1", 3000, uid: 1000, inode: 638_873),
        ])
    }

    @Test func tcp6AddressesWithTheKernelsAttributesSkipped() throws {
        let (sockets, done) = try parsed(SockDiagFixtures.tcp6, .tcp)
        #expect(done)
        #expect(sockets == [
            SocketSummary(.ipv6, "::1", 631, inode: 638_874),
            SocketSummary(.ipv6, "::ffff:127.0.0.1", 9090, inode: 638_876),
            SocketSummary(.ipv6, "::", 80, inode: 638_875),
        ])
    }

    @Test func udpBoundSocketsAndNotTheConnectedOne() throws {
        #expect(try parsed(SockDiagFixtures.udp, .udp).sockets == [SocketSummary(.ipv4, "127.0.0.53", 53, inode: 638_877)])
        #expect(try parsed(SockDiagFixtures.udp6, .udp).sockets == [
            SocketSummary(.ipv6, "::1", 123, inode: 638_879),
            SocketSummary(.ipv6, "::", 5353, inode: 638_880),
        ])
    }

    @Test func aDumpGoesOnUntilDone() throws {
        #expect(try parsed([SockDiagFixtures.tcp[0]], .tcp) == (parsed(SockDiagFixtures.tcp, .tcp).sockets, false))
        #expect(try parsed([SockDiagFixtures.tcp[1]], .tcp) == ([], true))
    }

    @Test func theTransportAskedForDecidesWhichStateListens() throws {
        // The same TCP LISTEN socket read as if a UDP dump had sent it: UDP listens in CLOSE.
        #expect(try parsed([capturedListenMessage], .udp).sockets == [])
    }

    @Test func aUDPSocketWithARemoteEndIsNotListening() throws {
        // The captured 127.0.0.53:53 message (the second) with a remote port written in (inet_diag_sockid's
        // idiag_dport, bytes 22-23): /proc/net's rule, a bound socket has no remote end.
        var connected = Array(SockDiagFixtures.udp[0][0x7C..<0xF8])
        #expect(try parsed([connected], .udp).sockets.map(\.port) == [53])
        connected[22...23] = [0x00, 0x35]
        #expect(try parsed([connected], .udp).sockets == [])
    }

    @Test func aRefusalIsTheKernelsErrno() {
        #expect(throws: SockDiagError.dumpRefused(SystemCallError(code: EPERM))) {
            try parsed([netlinkMessage(type: UInt16(NLMSG_ERROR), payload: errorCode(-EPERM) + Array(repeating: 0, count: 16))], .tcp)
        }
        #expect(throws: SockDiagError.dumpRefused(SystemCallError(code: ENOENT))) {
            try parsed([netlinkMessage(type: UInt16(NLMSG_DONE), payload: errorCode(-ENOENT))], .tcp)
        }
        let message = SockDiagError.dumpRefused(SystemCallError(code: EACCES)).description
        #expect(message == "the kernel refused a sock_diag dump: Permission denied")
    }

    @Test func anAcknowledgementANoOpAndPaddingAreReadPast() throws {
        // A NOOP of 17 bytes pads to 20; the socket message after it starts on the boundary.
        let datagram = netlinkMessage(type: UInt16(NLMSG_ERROR), payload: errorCode(0) + Array(repeating: 0, count: 16))
            + netlinkMessage(type: UInt16(NLMSG_NOOP), payload: [0xFF]) + capturedListenMessage
            + netlinkMessage(type: UInt16(NLMSG_DONE), payload: errorCode(0))
        #expect(try parsed([datagram], .tcp) == ([SocketSummary(.ipv4, "127.0.0.1", 8080, inode: 638_869)], true))
    }

    @Test func aDoneWithoutPayloadEndsTheDump() throws {
        #expect(try parsed([netlinkMessage(type: UInt16(NLMSG_DONE), payload: [])], .tcp) == ([], true))
    }

    @Test func malformedDatagramsSayWhatIsWrong() {
        var unknownFamily = capturedListenMessage
        unknownFamily[16] = UInt8(AF_UNIX)
        let cases: [([UInt8], String)] = [
            (Array(capturedListenMessage[0..<10]), "10 bytes at offset 0, too few for a message header"),
            (Array(capturedListenMessage[0..<100]), "message at offset 0 says it is 124 bytes; 100 are left"),
            (capturedListenMessage + [0x0C, 0, 0, 0] + Array(repeating: 0, count: 12), "message at offset 124 says it is 12 bytes; 16 are left"),
            (netlinkMessage(type: UInt16(SOCK_DIAG_BY_FAMILY), payload: Array(repeating: 0, count: 40)),
             "socket message at offset 0 has 40 bytes, fewer than 72"),
            (netlinkMessage(type: UInt16(NLMSG_ERROR), payload: [0xFF]), "error message at offset 0 has no error code"),
            (unknownFamily, "socket message of address family 1, not AF_INET or AF_INET6"),
        ]
        for (datagram, reason) in cases {
            #expect(throws: SockDiagError.malformed(reason)) { try parsed([datagram], .tcp) }
        }
    }

    @Test func requestsAreWhatTheKernelDocuments() {
        // nlmsghdr (72 bytes in all, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, sequence,
        // port 0), then inet_diag_req_v2: family, protocol, no extensions, pad, states, a zero id.
        func expected(family: UInt8, protocolNumber: UInt8, states: UInt32, sequence: UInt8) -> [UInt8] {
            [72, 0, 0, 0, 20, 0, 0x01, 0x03, sequence, 0, 0, 0, 0, 0, 0, 0, family, protocolNumber, 0, 0]
                + withUnsafeBytes(of: states.littleEndian, Array.init) + Array(repeating: 0, count: 48)
        }
        #expect(SockDiagRequest(.tcp, .ipv4).datagram(sequence: 1) == expected(family: 2, protocolNumber: 6, states: 1 << 10, sequence: 1))
        #expect(SockDiagRequest(.tcp, .ipv6).datagram(sequence: 2) == expected(family: 10, protocolNumber: 6, states: 1 << 10, sequence: 2))
        #expect(SockDiagRequest(.udp, .ipv4).datagram(sequence: 3) == expected(family: 2, protocolNumber: 17, states: 1 << 7, sequence: 3))
        #expect(SockDiagRequest(.udp, .ipv6, protocolNumber: 254).datagram(sequence: 4)
            == expected(family: 10, protocolNumber: 254, states: 1 << 7, sequence: 4))
        #expect(SockDiagRequest.listeningSockets == [
            SockDiagRequest(.tcp, .ipv4), SockDiagRequest(.tcp, .ipv6), SockDiagRequest(.udp, .ipv4), SockDiagRequest(.udp, .ipv6),
        ])
    }
}
