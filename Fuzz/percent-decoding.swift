// Fuzzes String(percentDecoding:plusIsSpace:) against a plainly written reference.
//
// Input: byte 0 holds flags: bit 0 plusIsSpace, bit 1 encode every byte (else only those outside
// RFC 3986's unreserved set), bit 2 lower-case hex digits, bit 3 write spaces as `+` (when
// plusIsSpace). The rest is the text.
//
// Invariants, beyond not crashing:
// - the rest, read as a component (a slice of a larger string, as a path segment or query
//   value is), decodes to exactly the reference's bytes, and to nil exactly when the reference
//   finds a `%` without two hex digits or bytes that are not UTF-8 (RFC 3629);
// - the rest, made UTF-8 text and percent-encoded, decodes back to that text, byte for byte.
import Basics

/// The value of a hex digit of either case, nil for any other byte.
func referenceHexValue(_ byte: UInt8) -> UInt8? {
    let digits = Array("0123456789abcdefABCDEF".utf8)
    guard let index = digits.firstIndex(of: byte) else { return nil }
    return UInt8(index < 16 ? index : index - 6)
}

/// Whether `bytes` are UTF-8 as RFC 3629 §4 writes its syntax: no overlong forms, no surrogates,
/// nothing above U+10FFFF.
func referenceIsUTF8(_ bytes: [UInt8]) -> Bool {
    var index = 0
    func tail(_ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
        guard index < bytes.count, range.contains(bytes[index]) else { return false }
        index += 1
        return true
    }
    while index < bytes.count {
        let lead = bytes[index]
        index += 1
        let valid = switch lead {
        case 0x00...0x7F: true
        case 0xC2...0xDF: tail()
        case 0xE0: tail(0xA0...0xBF) && tail()
        case 0xE1...0xEC, 0xEE...0xEF: tail() && tail()
        case 0xED: tail(0x80...0x9F) && tail()
        case 0xF0: tail(0x90...0xBF) && tail() && tail()
        case 0xF1...0xF3: tail() && tail() && tail()
        case 0xF4: tail(0x80...0x8F) && tail() && tail()
        default: false
        }
        if !valid { return false }
    }
    return true
}

/// `component`'s bytes with each `%XX` replaced by its byte and (plusIsSpace) each `+` by a space;
/// nil when a `%` lacks two hex digits after it or the result is not UTF-8.
func referenceDecode(_ component: [UInt8], plusIsSpace: Bool) -> [UInt8]? {
    var decoded: [UInt8] = []
    var index = 0
    while index < component.count {
        let byte = component[index]
        if byte == UInt8(ascii: "%") {
            guard index + 2 < component.count,
                  let high = referenceHexValue(component[index + 1]), let low = referenceHexValue(component[index + 2])
            else { return nil }
            decoded.append(high * 16 + low)
            index += 3
        } else {
            decoded.append(byte == UInt8(ascii: "+") && plusIsSpace ? UInt8(ascii: " ") : byte)
            index += 1
        }
    }
    return referenceIsUTF8(decoded) ? decoded : nil
}

/// `text` percent-encoded: every byte, or only those outside ALPHA / DIGIT / `-._~`; spaces as
/// `+` when asked.
func encode(_ text: String, everyByte: Bool, lowercase: Bool, spaceAsPlus: Bool) -> String {
    var encoded = ""
    for byte in text.utf8 {
        let unreserved = switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "-._~".utf8.contains(byte)
        }
        if byte == UInt8(ascii: " ") && spaceAsPlus {
            encoded += "+"
        } else if unreserved && !everyByte {
            encoded.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            let digits = String(byte, radix: 16, uppercase: !lowercase)
            encoded += "%" + (digits.count == 1 ? "0" : "") + digits
        }
    }
    return encoded
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPercentDecoding(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let flags = input.takeByte()
    let plusIsSpace = flags & 1 != 0
    let text = String(decoding: input.bytes, as: UTF8.self)

    // A component is a slice of the request target, not a string of its own.
    let target = "/a/" + text + "?b"
    let component = target.dropFirst(3).dropLast(2)
    let decoded = String(percentDecoding: component, plusIsSpace: plusIsSpace)
    let expected = referenceDecode(Array(component.utf8), plusIsSpace: plusIsSpace)
    invariant(decoded.map { Array($0.utf8) } == expected, """
        \(hex(component.utf8)) (plusIsSpace \(plusIsSpace)) decodes to \(decoded.map { hex($0.utf8) } ?? "nil"), \
        the reference to \(expected.map(hex) ?? "nil")
        """)

    let encoded = encode(text, everyByte: flags & 2 != 0, lowercase: flags & 4 != 0, spaceAsPlus: plusIsSpace && flags & 8 != 0)
    let roundTrip = String(percentDecoding: encoded[...], plusIsSpace: plusIsSpace)
    invariant(roundTrip.map { Array($0.utf8) } == Array(text.utf8), """
        \(hex(text.utf8)) encoded as \(encoded) (plusIsSpace \(plusIsSpace)) decodes to \(roundTrip.map { hex($0.utf8) } ?? "nil")
        """)
    return 0
}
