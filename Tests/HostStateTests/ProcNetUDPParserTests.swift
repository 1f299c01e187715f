@testable import HostState
import Testing
import TestSupport

/// The bound sockets of a table and the lines it left out.
func udpListenersAndMalformed(_ table: String) -> (sockets: [SocketSummary], malformed: MalformedLines) {
    var malformed = MalformedLines()
    let sockets = ProcNetUDPParser.unconnectedSockets(in: Array(table.utf8), path: "/proc/net/udp", malformed: &malformed)
    return (sockets.map(SocketSummary.init), malformed)
}

/// The bound sockets of a table whose every line is readable.
func udpListeners(_ table: String) -> [SocketSummary] {
    let (sockets, malformed) = udpListenersAndMalformed(table)
    #expect(malformed.count == 0)
    return sockets
}

@Suite(.needsLittleEndianHost)
struct ProcNetUDPParserTests {
    @Test func boundUnconnectedIPv4SocketsFromARealTable() throws {
        // The connected socket (127.0.0.1:34396 -> 127.0.0.1:53, state 01) is left out, as `ss -uln` leaves it.
        #expect(udpListeners(ProcNetFixtures.udp) == [
            SocketSummary(.ipv4, "127.0.0.1", 44406, inode: 110_358),
            SocketSummary(.ipv4, "127.0.0.53", 53, inode: 110_357),
            SocketSummary(.ipv4, "0.0.0.0", 68, inode: 110_356),
        ])
    }

    @Test func boundUnconnectedIPv6SocketsIncludingMappedAndWildcard() throws {
        #expect(udpListeners(ProcNetFixtures.udp6) == [
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
        #expect(udpListeners(table) == [SocketSummary(.ipv4, "127.0.0.1", 44408, inode: 110_360)])
    }

    @Test func tcpListenStateIsNotAUDPListener() throws {
        let row = " 4528: 0100007F:AD76 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 110358 2 00000000c87a79ed 0\n"
        #expect(udpListeners(row).isEmpty)
    }

    @Test func aMalformedRowIsLeftOutAndNamed() {
        let table = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
            + " 4528: 0100007F:AD76 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0\n"
            + " 4529: 0100007F:AD77 00000000:zz00 07 00000000:00000000 00:00000000 00000000     0        0 110359 2 00000000c87a79ed 0\n"
            + " 9327: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 110357 2 00000000393c2de9 0\n"
        let (sockets, malformed) = udpListenersAndMalformed(table)
        #expect(sockets == [SocketSummary(.ipv4, "127.0.0.53", 53, inode: 110_357)])
        #expect(malformed.count == 2)
        #expect(malformed.first == MalformedLines.Line(path: "/proc/net/udp", line: 2, reason: "expected at least 10 columns, found 9"))
    }
}
