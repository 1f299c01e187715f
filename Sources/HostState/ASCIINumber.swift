/// Unsigned numbers written in ASCII digits, read from bytes without making Strings: a socket
/// table with 10,000 sockets holds 50,000 of them.
enum ASCIINumber {
    /// Hex digits, either case; nil when empty, when any byte is not a digit, or on overflow.
    static func hexadecimal<Value: FixedWidthInteger & UnsignedInteger>(_ digits: some Collection<UInt8>, as: Value.Type = Value.self) -> Value? {
        guard !digits.isEmpty, digits.count <= Value.bitWidth / 4 else { return nil }
        var value: Value = 0
        for byte in digits {
            guard let digit = hexDigitValue(byte) else { return nil }
            value = value << 4 | Value(digit)
        }
        return value
    }

    /// Decimal digits; nil when empty, when any byte is not a digit, or on overflow.
    static func decimal<Value: FixedWidthInteger & UnsignedInteger>(_ digits: some Collection<UInt8>, as: Value.Type = Value.self) -> Value? {
        guard !digits.isEmpty else { return nil }
        var value: Value = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (tens, tensOverflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, sumOverflow) = tens.addingReportingOverflow(Value(byte - UInt8(ascii: "0")))
            guard !tensOverflow, !sumOverflow else { return nil }
            value = sum
        }
        return value
    }

    private static func hexDigitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
