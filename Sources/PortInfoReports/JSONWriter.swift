import Basics

/// Writes JSON text straight into bytes, keys in the order they are written, compact or indented
/// by two spaces. Hand-written because JSONEncoder is slower and, on Linux, does not keep key order.
struct JSONWriter {
    /// Room reserved up front: most answers fit, so the bytes are rarely moved.
    static let initialCapacity = 1024

    private var bytes: [UInt8] = []
    private let indented: Bool
    private var depth = 0
    /// Whether the innermost open object or array has no member yet (it needs no comma).
    private var atFirstMember = true
    /// Whether a key was just written (its value needs no separator).
    private var afterKey = false

    init(format: APIJSON.Format) {
        indented = format == .pretty
        bytes.reserveCapacity(Self.initialCapacity)
    }

    /// The text written, ended by a newline (so that a body printed or curled ends its line).
    consuming func finished() -> [UInt8] {
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    mutating func object(_ members: (inout JSONWriter) -> Void) {
        container(open: "{", close: "}", members)
    }

    mutating func array<Elements: Sequence>(_ elements: Elements, _ element: (inout JSONWriter, Elements.Element) -> Void) {
        container(open: "[", close: "]") { json in
            for value in elements { element(&json, value) }
        }
    }

    /// A member's key; its value is the next thing written.
    mutating func key(_ name: StaticString) {
        startValue()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: indented ? #"": "#.utf8 : #"":"#.utf8)
        afterKey = true
    }

    mutating func string(_ value: String?) {
        startValue()
        guard let value else { return appendNull() }
        bytes.append(UInt8(ascii: "\""))
        let utf8 = value.utf8
        var pending = utf8.startIndex // where the run of bytes that need no escape starts
        for index in utf8.indices {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: utf8[pending..<index])
            appendEscape(byte)
            pending = utf8.index(after: index)
        }
        bytes.append(contentsOf: utf8[pending...])
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int(_ value: Int) {
        startValue()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func null() {
        startValue()
        appendNull()
    }

    mutating func member(_ name: StaticString, _ value: String?) {
        key(name)
        string(value)
    }

    mutating func member(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    private mutating func container(open: Unicode.Scalar, close: Unicode.Scalar, _ members: (inout JSONWriter) -> Void) {
        startValue()
        bytes.append(UInt8(ascii: open))
        let outerAtFirstMember = atFirstMember
        atFirstMember = true
        depth += 1
        members(&self)
        depth -= 1
        if indented && !atFirstMember { newline() }
        bytes.append(UInt8(ascii: close))
        atFirstMember = outerAtFirstMember
    }

    /// The separator before a value: none after a key, else a comma after an earlier member and,
    /// indented, a new line.
    private mutating func startValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard depth > 0 else { return }
        if !atFirstMember { bytes.append(UInt8(ascii: ",")) }
        atFirstMember = false
        if indented { newline() }
    }

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    private mutating func appendNull() {
        bytes.append(contentsOf: "null".utf8)
    }

    private mutating func appendEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
        case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
        case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
        case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
        default:
            bytes.append(contentsOf: #"\u00"#.utf8)
            bytes.append(ASCII.lowerHexDigits[Int(byte >> 4)])
            bytes.append(ASCII.lowerHexDigits[Int(byte & 0xF)])
        }
    }
}
