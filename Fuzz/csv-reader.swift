// Fuzzes CSVReader with arbitrary bytes, read whole and through a stream of tiny pieces.
//
// Input: byte 0 holds flags: bits 0-2 how many of the next bytes give the sizes the stream hands
// out per read (each 1...16, repeated; none: one byte a read), bit 3 re-encode quoting every field
// (else only fields that need it), bit 4 re-encode with CRLF (else LF). The rest is the CSV.
//
// Invariants, beyond not crashing:
// - read whole and read in pieces, the records and the error (line and reason) are the same:
//   where a pipe splits the file must never change what it says;
// - the records read, written out again as RFC 4180 CSV and read back, are the same fields, but
//   for the CRLF the reader makes LF inside quotes (a field read from `"a<CR><CR><LF>"` holds
//   `a<CR><LF>`, which reads back as `a<LF>`);
// - every record's line and an error's line are lines of the input, records' in order.
@testable import Registry

/// Hands out `bytes` in pieces of `sizes`, repeated; a reader must not care how they arrive.
struct PieceStream: ByteStream {
    let bytes: ArraySlice<UInt8>
    let sizes: [Int]
    var offset: Int
    var reads = 0

    init(_ bytes: ArraySlice<UInt8>, sizes: [Int]) {
        self.bytes = bytes
        self.sizes = sizes
        offset = bytes.startIndex
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let size = sizes.isEmpty ? 1 : sizes[reads % sizes.count]
        reads += 1
        let count = min(size, buffer.count, bytes.endIndex - offset)
        buffer.copyBytes(from: bytes[offset..<(offset + count)])
        offset += count
        return count
    }
}

/// Everything the reader returns: its records, then the error that stopped it, if any.
/// Compared byte for byte: String's `==` would take canonically equivalent text for the same.
struct Reading: Equatable {
    var records: [CSVRecord] = []
    var error: CSVError?

    static func == (left: Reading, right: Reading) -> Bool {
        left.error == right.error && left.records.map(\.line) == right.records.map(\.line)
            && utf8(left.records.map(\.fields)) == utf8(right.records.map(\.fields))
    }

    init(_ stream: some ByteStream) {
        var reader = CSVReader(stream)
        do {
            while let record = try reader.next() { records.append(record) }
        } catch let error as CSVError {
            self.error = error
        } catch {
            fatalError("the reader threw something other than a CSVError: \(error)")
        }
    }
}

/// `records` as RFC 4180 CSV: fields separated by commas, a quoted field's quotes doubled.
func encode(_ records: [CSVRecord], quoteEveryField: Bool, lineEnd: String) -> [UInt8] {
    var text = ""
    for (index, record) in records.enumerated() {
        let fields = record.fields.enumerated().map { column, field in
            let mustQuote = quoteEveryField || field.unicodeScalars.contains(where: { "\",\r\n".unicodeScalars.contains($0) })
                // One empty field alone would be an empty line, which the reader skips.
                || (field.isEmpty && record.fields.count == 1)
                // A leading byte-order mark would be taken for the file's, not the field's.
                || (index == 0 && column == 0 && field.unicodeScalars.first == "\u{FEFF}")
            // Quotes doubled scalar by scalar: a quote followed by a combining mark is one
            // Character, which a Character-wise replacement would miss.
            let doubled = String(String.UnicodeScalarView(field.unicodeScalars.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }))
            return mustQuote ? "\"" + doubled + "\"" : field
        }
        text += fields.joined(separator: ",") + lineEnd
    }
    return Array(text.utf8)
}

func utf8(_ records: [[String]]) -> [[[UInt8]]] {
    records.map { $0.map { Array($0.utf8) } }
}

/// `field` as the reader takes it from inside quotes: each CRLF becomes LF.
func crlfAsLF(_ field: String) -> String {
    var bytes: [UInt8] = []
    var previous: UInt8?
    for byte in field.utf8 {
        if previous == UInt8(ascii: "\r"), byte == UInt8(ascii: "\n") { bytes.removeLast() }
        bytes.append(byte)
        previous = byte
    }
    return String(decoding: bytes, as: UTF8.self)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let flags = input.takeByte()
    let sizes = input.takePieceSizes(count: Int(flags & 7), maxSize: 16)
    let csv = input.bytes

    let whole = Reading(PieceStream(csv, sizes: [csv.count + 1]))
    let split = Reading(PieceStream(csv, sizes: sizes))
    invariant(whole == split, """
        read whole and in pieces of \(sizes.isEmpty ? [1] : sizes), the reader answers differently:
        whole: \(whole.records) \(String(describing: whole.error))
        split: \(split.records) \(String(describing: split.error))
        """)

    let lines = csv.count { $0 == UInt8(ascii: "\n") } + 1
    invariant(whole.records.map(\.line) == whole.records.map(\.line).sorted(), "records out of line order: \(whole.records)")
    for record in whole.records {
        invariant((1...lines).contains(record.line), "a record on line \(record.line) of \(lines): \(record)")
    }
    if let error = whole.error {
        invariant((1...lines).contains(error.line), "an error on line \(error.line) of \(lines): \(error)")
    }

    let encoded = encode(whole.records, quoteEveryField: flags & 8 != 0, lineEnd: flags & 16 != 0 ? "\r\n" : "\n")
    let reread = Reading(PieceStream(encoded[...], sizes: sizes))
    invariant(reread.error == nil && utf8(reread.records.map(\.fields)) == utf8(whole.records.map { $0.fields.map(crlfAsLF) }), """
        records written out as CSV read back differently:
        read:    \(whole.records.map(\.fields))
        written: \(hex(encoded))
        reread:  \(reread.records.map(\.fields)) \(String(describing: reread.error))
        """)
    return 0
}
