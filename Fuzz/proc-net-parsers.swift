// Fuzzes the /proc/net/{tcp,tcp6,udp,udp6} parsers with arbitrary tables.
//
// Input: the table, as the kernel (or something pretending to be /proc) might write it.
//
// Invariants, beyond not crashing:
// - every socket's port is within 0...65535, an IPv4 address within 32 bits, its address printable,
//   and its local endpoint written back in the kernel's format reads as the same endpoint;
// - a table reads as its lines read one at a time, in order: the same sockets, the same number
//   of malformed lines left out, the same first one (only its number depends on its place).
@testable import HostState

/// A table as a parser read it: its sockets, and the lines it left out.
struct TableReading: Equatable {
    var sockets: [ListeningSocket] = []
    var malformedCount = 0
    var firstMalformed: (line: Int, reason: String)?

    static func == (a: TableReading, b: TableReading) -> Bool {
        a.sockets == b.sockets && a.malformedCount == b.malformedCount
            && a.firstMalformed?.line == b.firstMalformed?.line && a.firstMalformed?.reason == b.firstMalformed?.reason
    }
}

typealias TableParser = ([UInt8], String, inout MalformedLines) -> [ListeningSocket]

func read(_ table: [UInt8], _ parse: TableParser) -> TableReading {
    var malformed = MalformedLines()
    let sockets = parse(table, "/proc/net/fuzz", &malformed)
    return TableReading(sockets: sockets, malformedCount: malformed.count,
                        firstMalformed: malformed.first.map { ($0.line, $0.reason) })
}

/// What `parse` should make of `table`, from its lines parsed one at a time.
func readLineByLine(_ table: [UInt8], _ parse: TableParser) -> TableReading {
    var reading = TableReading()
    for (index, line) in table.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
        let lineReading = read(Array(line), parse)
        reading.sockets += lineReading.sockets
        reading.malformedCount += lineReading.malformedCount
        if reading.firstMalformed == nil, let first = lineReading.firstMalformed { reading.firstMalformed = (index + 1, first.reason) }
    }
    return reading
}

/// `endpoint` as the kernel writes it: the address in 32-bit words of host-order hex, a colon,
/// the port in four hex digits.
func kernelText(_ endpoint: SocketEndpoint) -> [UInt8] {
    let words = endpoint.family == .ipv4 ? 1 : 4
    var text = ""
    for word in (0..<words).reversed() {
        let value = UInt32(truncatingIfNeeded: endpoint.address >> (32 * word))
        text += hexDigits(UInt32(bigEndian: value), width: 8)
    }
    return Array((text + ":" + hexDigits(UInt32(endpoint.port), width: 4)).utf8)
}

func hexDigits(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: width - digits.count) + digits
}

func check(_ reading: TableReading, of table: [UInt8], by parser: String) {
    for socket in reading.sockets {
        let local = socket.local
        invariant((0...65535).contains(local.port), "\(parser): port \(local.port) out of range in \(hex(table))")
        invariant(local.family == .ipv6 || local.address >> 32 == 0, "\(parser): an IPv4 address wider than 32 bits: \(local)")
        invariant(!local.addressText.isEmpty, "\(parser): no text for \(local)")
        let text = kernelText(local)
        invariant(SocketEndpoint(procNet: text) == local,
                  "\(parser): \(local) written as \(String(decoding: text, as: UTF8.self)) reads as \(String(describing: SocketEndpoint(procNet: text)))")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProcNetParsers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let table = Array(UnsafeBufferPointer(start: data, count: size))
    let parsers: [(String, TableParser)] = [
        ("tcp", { ProcNetTCPParser.listeningSockets(in: $0, path: $1, malformed: &$2) }),
        ("udp", { ProcNetUDPParser.unconnectedSockets(in: $0, path: $1, malformed: &$2) }),
    ]
    for (name, parse) in parsers {
        let whole = read(table, parse)
        check(whole, of: table, by: name)
        let lineByLine = readLineByLine(table, parse)
        invariant(whole == lineByLine, """
            \(name): the table reads differently whole and line by line:
            whole:        \(whole)
            line by line: \(lineByLine)
            table: \(hex(table))
            """)
    }
    return 0
}
