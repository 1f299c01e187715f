/// A CSV syntax error, with the (1-based) line where it was found.
public struct CSVError: Error, CustomStringConvertible, Equatable, Sendable {
    public let line: Int
    public let reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}

/// One CSV record: its fields, and the line it starts on (a quoted field may span several lines).
public struct CSVRecord: Equatable, Sendable {
    public let line: Int
    public let fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// An RFC 4180 CSV reader that streams over bytes: quoted fields spanning lines, doubled quotes,
/// CRLF or LF line ends (CRLF inside a quoted field becomes LF), a leading UTF-8 BOM, fields
/// checked to be valid UTF-8. Empty lines are skipped.
public struct CSVReader<Input: ByteStream> {
    public private(set) var input: Input

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
        /// A CR outside quotes: only an LF may follow it.
        case carriageReturn
        /// A CR alone on its line: with its LF, an empty line to skip (a line holding only `""`
        /// is not empty: it is a record of one empty field).
        case carriageReturnOnEmptyLine
        /// A CR inside quotes: CRLF becomes LF, a lone CR is kept.
        case carriageReturnInQuoted
    }

    /// Bytes are read this many at a time.
    public static var bufferSize: Int { 64 * 1024 }

    private var buffer: [UInt8]
    /// The bytes of the field being read.
    private var field: [UInt8] = []
    /// How many fields the last record had: the next one most likely has as many.
    private var lastFieldCount = 0
    private var position = 0
    private var end = 0
    private var atStart = true
    private var atEnd = false
    private var line = 1

    public init(_ input: Input) {
        self.input = input
        buffer = [UInt8](repeating: 0, count: Self.bufferSize)
    }

    /// The next record, or nil at the end of the input.
    public mutating func next() throws -> CSVRecord? {
        var state = State.fieldStart
        var fields: [String] = []
        fields.reserveCapacity(lastFieldCount)
        var recordLine = line
        var quoteLine = line
        field.removeAll(keepingCapacity: true)

        while true {
            if position == end, try !refill() { break }
            // Plain text inside a field is copied a run at a time; only the bytes that matter to
            // the syntax go through the state machine one by one.
            if state == .unquoted || state == .quoted {
                let run = plainRunLength(buffer, from: position, to: end, quoted: state == .quoted)
                if run > 0 {
                    field.append(contentsOf: buffer[position..<position + run])
                    position += run
                    continue
                }
            }
            let byte = buffer[position]
            position += 1
            switch state {
            case .fieldStart, .unquoted:
                switch byte {
                case UInt8(ascii: ","):
                    try finishField(&field, into: &fields, recordLine: recordLine)
                    state = .fieldStart
                case UInt8(ascii: "\n"):
                    line += 1
                    if fields.isEmpty, field.isEmpty, state == .fieldStart {
                        recordLine = line // an empty line: nothing to return
                        continue
                    }
                    try finishField(&field, into: &fields, recordLine: recordLine)
                    return finishRecord(fields, line: recordLine)
                case UInt8(ascii: "\r"):
                    state = fields.isEmpty && state == .fieldStart ? .carriageReturnOnEmptyLine : .carriageReturn
                case UInt8(ascii: "\"") where state == .fieldStart:
                    quoteLine = line
                    state = .quoted
                case UInt8(ascii: "\""):
                    throw CSVError(line: line, reason: "a quote inside an unquoted field (quote the whole field and double the quote)")
                default:
                    field.append(byte)
                    state = .unquoted
                }
            case .quoted:
                switch byte {
                case UInt8(ascii: "\""): state = .quoteInQuoted
                case UInt8(ascii: "\r"): state = .carriageReturnInQuoted
                default: // a line feed: plain runs stop at it to count the line
                    line += 1
                    field.append(byte)
                }
            case .quoteInQuoted:
                switch byte {
                case UInt8(ascii: "\""):
                    field.append(byte)
                    state = .quoted
                case UInt8(ascii: ","):
                    try finishField(&field, into: &fields, recordLine: recordLine)
                    state = .fieldStart
                case UInt8(ascii: "\n"):
                    line += 1
                    try finishField(&field, into: &fields, recordLine: recordLine)
                    return finishRecord(fields, line: recordLine)
                case UInt8(ascii: "\r"):
                    state = .carriageReturn
                default:
                    throw CSVError(line: line, reason: "unexpected text after a closing quote (a quote inside a quoted field must be doubled)")
                }
            case .carriageReturn, .carriageReturnOnEmptyLine:
                guard byte == UInt8(ascii: "\n") else {
                    throw CSVError(line: line, reason: "a carriage return not followed by a line feed")
                }
                line += 1
                if state == .carriageReturnOnEmptyLine {
                    recordLine = line
                    state = .fieldStart
                    continue
                }
                try finishField(&field, into: &fields, recordLine: recordLine)
                return finishRecord(fields, line: recordLine)
            case .carriageReturnInQuoted:
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    field.append(byte)
                } else {
                    field.append(UInt8(ascii: "\r"))
                    position -= 1 // look at this byte again, inside the quotes
                }
                state = .quoted
            }
        }

        switch state {
        case .quoted, .carriageReturnInQuoted:
            throw CSVError(line: quoteLine, reason: "a quoted field opened on line \(quoteLine) is never closed")
        case .carriageReturn, .carriageReturnOnEmptyLine:
            throw CSVError(line: line, reason: "a carriage return not followed by a line feed")
        case .fieldStart where fields.isEmpty && field.isEmpty:
            return nil
        case .fieldStart, .unquoted, .quoteInQuoted:
            try finishField(&field, into: &fields, recordLine: recordLine)
            return finishRecord(fields, line: recordLine)
        }
    }

    private mutating func finishRecord(_ fields: [String], line: Int) -> CSVRecord {
        lastFieldCount = fields.count
        return CSVRecord(line: line, fields: fields)
    }

    /// Reads the next bytes into the buffer: false at the end of the input.
    private mutating func refill() throws -> Bool {
        while position == end, !atEnd {
            position = 0
            end = try buffer.withUnsafeMutableBytes { try input.read(into: $0) }
            if end == 0 { atEnd = true }
            if atStart { try skipByteOrderMark() }
        }
        return position < end
    }

    /// A UTF-8 byte-order mark is not part of the first field; a pipe may deliver it in pieces.
    private mutating func skipByteOrderMark() throws {
        atStart = false
        while end < 3, !atEnd {
            let count = try buffer.withUnsafeMutableBytes { try input.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[end...])) }
            if count == 0 { atEnd = true }
            end += count
        }
        if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
    }
}

// Free functions rather than methods: inside the generic reader they would look up its type
// metadata on every call, which costs more than the work they do.

/// How many bytes from `start` on are plain field text (no quote, CR, LF, or, unquoted, comma).
private func plainRunLength(_ buffer: [UInt8], from start: Int, to end: Int, quoted: Bool) -> Int {
    let stop = quoted ? UInt8(ascii: "\"") : UInt8(ascii: ",")
    return buffer.withUnsafeBufferPointer { bytes in
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == stop || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
            index += 1
        }
        return index - start
    }
}

/// Appends the field's text to `fields` and empties `field`.
private func finishField(_ field: inout [UInt8], into fields: inout [String], recordLine: Int) throws(CSVError) {
    // ASCII is valid UTF-8 as it stands; only other text needs the full check.
    let isASCII = field.withUnsafeBufferPointer { bytes in bytes.reduce(0, |) < 0x80 }
    if isASCII {
        fields.append(String(decoding: field, as: UTF8.self))
    } else if let text = String(validating: field, as: UTF8.self) {
        fields.append(text)
    } else {
        throw CSVError(line: recordLine, reason: "field \(fields.count + 1) is not valid UTF-8")
    }
    field.removeAll(keepingCapacity: true)
}
