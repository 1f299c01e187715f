@testable import HostState
import Testing

func udpListeners(_ table: String) throws -> [SocketSummary] {
    try ProcNetUDPParser.unconnectedSockets(in: Array(table.utf8)).map(SocketSummary.init)
}

@Suite(.enabled(if: hostIsLittleEndian, "the fixtures are little-endian captures"))
struct ProcNetUDPParserTests {
    @Test func boundUnconnectedIPv4SocketsFromARealTable() throws {
        // The connected socket (127.0.0.1:34396 -> 127.0.0.1:53, state 01) is left out, as `ss -uln` leaves it.
        #expect(try udpListeners(ProcNetFixtures.udp) == [
            SocketSummary(.ipv4, "127.0.0.1", 44406, inode: 110_358),
            SocketSummary(.ipv4, "127.0.0.53", 53, inode: 110_357),
            SocketSummary(.ipv4, "0.0.0.0", 68, inode: 110_356),
        ])
    }

    @Test func boundUnconnectedIPv6SocketsIncludingMappedAndWildcard() throws {
        #expect(try udpListeners(ProcNetFixtures.udp6) == [
            SocketSummary(.ipv6, "::1", 123, inode: 110_360),
            SocketSummary(.ipv6, "fd00::2", 546, inode: 110_362),
            SocketSummary(.ipv6, "::", 1900, uid: 1000, inode: 110_931),
            SocketSummary(.ipv6, "::ffff:127.0.0.1", 4500, inode: 110_361),
            SocketSummary(.ipv6, "::", 5353, inode: 110_359),
        ])
    }

    @Test func aClosedStateWithARemoteEndIsNotUnconnected() throws {
        // Adapted from the fixture: state 07 but a remote address or port set is not what `ss -uln` shows.
        let table = """
           sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
         4528: 0100007F:AD76 0100007F:0000 07 00000000:00000000 00:00000000 00000000     0        0 110358 2 00000000c87a79ed 0
         4529: 0100007F:AD77 00000000:0035 07 00000000:00000000 00:00000000 00000000     0        0 110359 2 00000000c87a79ed 0
         4530: 0100007F:AD78 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 110360 2 00000000c87a79ed 0

        """
        #expect(try udpListeners(table) == [SocketSummary(.ipv4, "127.0.0.1", 44408, inode: 110_360)])
    }

    @Test func tcpListenStateIsNotAUDPListener() throws {
        let row = " 4528: 0100007F:AD76 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 110358 2 00000000c87a79ed 0\n"
        #expect(try udpListeners(row).isEmpty)
    }

    @Test func malformedRowsNameTheirLine() {
        let table = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
            + " 4528: 0100007F:AD76 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0\n"
        #expect(formatError { () throws(ProcNetFormatError) in try ProcNetUDPParser.unconnectedSockets(in: Array(table.utf8)) }
            == ProcNetFormatError(line: 2, reason: "expected at least 10 columns, found 9"))
    }
}
