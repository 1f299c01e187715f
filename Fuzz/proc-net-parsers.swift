// Fuzzes the /proc/net/{tcp,tcp6,udp,udp6} parsers with arbitrary tables.
//
// Input: the table, as the kernel (or something pretending to be /proc) might write it.
//
// Invariants, beyond not crashing:
// - every socket's port is within 0...65535, an IPv4 address within 32 bits, its address printable,
//   and its local endpoint written back in the kernel's format reads as the same endpoint;
// - a table reads as its lines read one at a time, in order: no line's meaning depends on the
//   lines around it (only its number does).
// Today's parsers stop at the first malformed line: `TableReading` and `readLineByLine` say
// so, and are the two places to change when they skip and count malformed lines instead.

/// A table as a parser read it: its sockets, or the error that stopped it.
enum TableReading: Equatable {
    case sockets([ProcNetSocket])
    case failed(ProcNetFormatError)

    init(_ table: [UInt8], _ parse: ([UInt8]) throws(ProcNetFormatError) -> [ProcNetSocket]) {
        do { self = .sockets(try parse(table)) } catch { self = .failed(error) }
    }
}

/// What `parse` should make of `table`, from its lines parsed one at a time: their sockets in
/// order, until a line fails, which fails the table with that line's number.
func readLineByLine(_ table: [UInt8], _ parse: ([UInt8]) throws(ProcNetFormatError) -> [ProcNetSocket]) -> TableReading {
    var sockets: [ProcNetSocket] = []
    for (index, line) in table.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
        switch TableReading(Array(line), parse) {
        case let .sockets(lineSockets): sockets += lineSockets
        case let .failed(error): return .failed(ProcNetFormatError(line: index + 1, reason: error.reason))
        }
    }
    return .sockets(sockets)
}

/// `endpoint` as the kernel writes it: the address in 32-bit words of host-order hex, a colon,
/// the port in four hex digits.
func kernelText(_ endpoint: ProcNetEndpoint) -> [UInt8] {
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
    guard case let .sockets(sockets) = reading else { return }
    for socket in sockets {
        let local = socket.local
        invariant((0...65535).contains(local.port), "\(parser): port \(local.port) out of range in \(hex(table))")
        invariant(local.family == .ipv6 || local.address >> 32 == 0, "\(parser): an IPv4 address wider than 32 bits: \(local)")
        invariant(!local.addressText.isEmpty, "\(parser): no text for \(local)")
        let text = kernelText(local)
        invariant(ProcNetEndpoint(text) == local,
                  "\(parser): \(local) written as \(String(decoding: text, as: UTF8.self)) reads as \(String(describing: ProcNetEndpoint(text)))")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProcNetParsers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let table = Array(UnsafeBufferPointer(start: data, count: size))
    let parsers: [(String, ([UInt8]) throws(ProcNetFormatError) -> [ProcNetSocket])] = [
        ("tcp", ProcNetTCPParser.listeningSockets), ("udp", ProcNetUDPParser.unconnectedSockets),
    ]
    for (name, parse) in parsers {
        let whole = TableReading(table, parse)
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
