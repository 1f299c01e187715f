@testable import HostState
import Testing

/// The listening sockets of a table, as (address, port, uid, inode), in table order.
func tcpListeners(_ table: String) throws -> [SocketSummary] {
    try ProcNetTCPParser.listeningSockets(in: Array(table.utf8)).map(SocketSummary.init)
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

    init(_ socket: ProcNetSocket) {
        self.init(socket.local.family, socket.local.addressText, socket.local.port, uid: socket.uid, inode: socket.inode)
    }

    var description: String { "\(family) \(address) \(port) uid \(uid) inode \(inode)" }
}

/// The error a table fails with, or nil when it parses.
func formatError(_ read: () throws(ProcNetFormatError) -> [ProcNetSocket]) -> ProcNetFormatError? {
    do { _ = try read() } catch { return error }
    return nil
}

@Suite(.enabled(if: hostIsLittleEndian, "the fixtures are little-endian captures"))
struct ProcNetTCPParserTests {
    @Test func fixturesKeepTheKernelsTrailingSpaces() {
        // The odd case the fixtures are for; an editor stripping them would silently weaken these tests.
        #expect(ProcNetFixtures.tcp.split(separator: "\n").allSatisfy { $0.hasSuffix(" ") })
    }

    @Test func listeningIPv4SocketsOnlyFromARealTable() throws {
        #expect(try tcpListeners(ProcNetFixtures.tcp) == [
            SocketSummary(.ipv4, "0.0.0.0", 5432, inode: 110_350),
            SocketSummary(.ipv4, "0.0.0.0", 2024, inode: 1603),
            SocketSummary(.ipv4, "127.0.0.1", 3000, uid: 1000, inode: 110_930),
            SocketSummary(.ipv4, "127.0.0.1", 8080, inode: 110_349),
            SocketSummary(.ipv4, "127.0.0.53", 53, inode: 110_351),
        ])
    }

    @Test func listeningIPv6SocketsIncludingMappedAndWildcard() throws {
        #expect(try tcpListeners(ProcNetFixtures.tcp6) == [
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
        #expect(try tcpListeners(table).isEmpty)
    }

    @Test func oddLinesExactlyTenColumnsLowercaseHexNoFinalNewlineAndBlankLines() throws {
        // Adapted: the kernel writes upper-case hex and more columns, but nothing here depends on that.
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
            + "\n"
            + "   0: 0100007f:1f90 00000000:0000 0a 00000000:00000000 00:00000000 00000000     0        0 42\n"
            + "   \n"
            + "   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000  65534        0 43 1 ffff 100 0 0 10 0 extra columns  "
        #expect(try tcpListeners(table) == [
            SocketSummary(.ipv4, "127.0.0.1", 8080, inode: 42),
            SocketSummary(.ipv4, "0.0.0.0", 22, uid: 65534, inode: 43),
        ])
    }

    @Test func anEmptyTableOrOnlyTheHeaderHasNoSockets() throws {
        #expect(try tcpListeners("").isEmpty)
        #expect(try tcpListeners("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n").isEmpty)
    }

    @Test func malformedRowsNameTheirLine() {
        let header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        let good = "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 42\n"
        func error(_ row: String) -> ProcNetFormatError? {
            formatError { () throws(ProcNetFormatError) in try ProcNetTCPParser.listeningSockets(in: Array((header + good + row).utf8)) }
        }
        #expect(error("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000\n")
            == ProcNetFormatError(line: 3, reason: "expected at least 10 columns, found 5"))
        #expect(error("   1: 0100007F:1F90 00000000:0000 XA 00000000:00000000 00:00000000 00000000 0 0 42\n")?.reason
            == "state is not two hex digits: 'XA'")
        #expect(error("   1: 00007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 42\n")?.reason
            == "not an address:port in hex: '00007F:1F90'")
        #expect(error("   1: 0100007F:11F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 42\n")?.line == 3)
        #expect(error("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 -1 0 42\n")?.reason
            == "uid is not a decimal number: '-1'")
        #expect(error("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 18446744073709551616\n")?.reason
            == "inode is not a decimal number: '18446744073709551616'")
    }
}
