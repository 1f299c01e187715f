@testable import HostState
import Testing
import TestSupport

/// The listening sockets of a table, as (address, port, uid, inode), in table order; every line
/// must be readable.
func tcpListeners(_ table: String) -> [SocketSummary] {
    let (sockets, malformed) = tcpListenersAndMalformed(Array(table.utf8))
    #expect(malformed.count == 0, "\(malformed.first.map(String.init(describing:)) ?? "")")
    return sockets
}

/// The listening sockets of a table and the lines it left out.
func tcpListenersAndMalformed(_ table: [UInt8]) -> (sockets: [SocketSummary], malformed: MalformedLines) {
    var malformed = MalformedLines()
    let sockets = ProcNetTCPParser.listeningSockets(in: table, path: "/proc/net/tcp", malformed: &malformed)
    return (sockets.map(SocketSummary.init), malformed)
}

struct SocketSummary: Equatable, CustomStringConvertible {
    let family: Listener.Family
    let address: String
    let port: Int
    let uid: UInt32
    let inode: UInt64

    init(_ family: Listener.Family, _ address: String, _ port: Int, uid: UInt32 = 0, inode: UInt64) {
        self.family = family
        self.address = address
        self.port = port
        self.uid = uid
        self.inode = inode
    }

    init(_ socket: ListeningSocket) {
        self.init(socket.local.family, socket.local.addressText, socket.local.port, uid: socket.uid, inode: socket.inode)
    }

    var description: String { "\(family) \(address) \(port) uid \(uid) inode \(inode)" }
}

@Suite(.needsLittleEndianHost)
struct ProcNetTCPParserTests {
    @Test func fixturesKeepTheKernelsTrailingSpaces() {
        // The odd case the fixtures are for; an editor stripping them would silently weaken these tests.
        #expect(ProcNetFixtures.tcp.split(separator: "\n").allSatisfy { $0.hasSuffix(" ") })
    }

    @Test func listeningIPv4SocketsOnlyFromARealTable() throws {
        #expect(tcpListeners(ProcNetFixtures.tcp) == [
            SocketSummary(.ipv4, "0.0.0.0", 5432, inode: 110_350),
            SocketSummary(.ipv4, "0.0.0.0", 2024, inode: 1603),
            SocketSummary(.ipv4, "127.0.0.1", 3000, uid: 1000, inode: 110_930),
            SocketSummary(.ipv4, "127.0.0.1", 8080, inode: 110_349),
            SocketSummary(.ipv4, "127.0.0.53", 53, inode: 110_351),
        ])
    }

    @Test func listeningIPv6SocketsIncludingMappedAndWildcard() throws {
        #expect(tcpListeners(ProcNetFixtures.tcp6) == [
            SocketSummary(.ipv6, "::ffff:127.0.0.1", 9090, inode: 110_354),
            SocketSummary(.ipv6, "fd00::2", 443, inode: 110_355),
            SocketSummary(.ipv6, "::", 80, inode: 110_352),
            SocketSummary(.ipv6, "::1", 631, inode: 110_353),
        ])
    }

    @Test func connectionsAndTimeWaitRowsAreNotListeners() throws {
        let table = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           6: 0100007F:C15C 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 110365 1 0000000027b32b2a 20 0 0 10 -1
           5: 0100007F:46B3 0100007F:9C00 06 00000000:00000000 03:000001D3 00000000     0        0 0 3 0000000027a03184
           9: 0100007F:1F91 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 110399 1 0000000027b32b2a 20 0 0 10 -1

        """
        #expect(tcpListeners(table).isEmpty)
    }

    @Test func oddLinesExactlyTenColumnsLowercaseHexNoFinalNewlineAndBlankLines() throws {
        // Adapted: the kernel writes upper-case hex and more columns, but nothing here depends on that.
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
            + "\n"
            + "   0: 0100007f:1f90 00000000:0000 0a 00000000:00000000 00:00000000 00000000     0        0 42\n"
            + "   \n"
            + "   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000  65534        0 43 1 ffff 100 0 0 10 0 extra columns  "
        #expect(tcpListeners(table) == [
            SocketSummary(.ipv4, "127.0.0.1", 8080, inode: 42),
            SocketSummary(.ipv4, "0.0.0.0", 22, uid: 65534, inode: 43),
        ])
    }

    @Test func anEmptyTableOrOnlyTheHeaderHasNoSockets() throws {
        #expect(tcpListeners("").isEmpty)
        #expect(tcpListeners("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n").isEmpty)
    }

    @Test func aMalformedRowIsLeftOutAndNamedTheRowsAroundItAreRead() {
        let header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        let good = "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 42\n"
        let after = "   2: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 43\n"
        func skipped(_ row: String) -> MalformedLines.Line? {
            let (sockets, malformed) = tcpListenersAndMalformed(Array((header + good + row + after).utf8))
            #expect(sockets.map(\.port) == [8080, 22], "\(row)")
            #expect(malformed.count == 1, "\(row)")
            return malformed.first
        }
        #expect(skipped("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000\n")
            == MalformedLines.Line(path: "/proc/net/tcp", line: 3, reason: "expected at least 10 columns, found 5"))
        #expect(skipped("   1: 0100007F:1F90 00000000:0000 XA 00000000:00000000 00:00000000 00000000 0 0 42\n")?.reason
            == "state is not two hex digits: 'XA'")
        #expect(skipped("   1: 00007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 42\n")?.reason
            == "not an address:port in hex: '00007F:1F90'")
        #expect(skipped("   1: 0100007F:11F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 42\n")?.line == 3)
        #expect(skipped("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 -1 0 42\n")?.reason
            == "uid is not a decimal number: '-1'")
        #expect(skipped("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 18446744073709551616\n")?.reason
            == "inode is not a decimal number: '18446744073709551616'")
    }
}
