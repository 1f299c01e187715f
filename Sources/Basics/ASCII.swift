/// Bytes of ASCII text as protocols, kernel files and CSV write them, read without making
/// Strings: the one place for digits, hex digits, numbers and case.
public enum ASCII {
    @inlinable
    public static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    @inlinable
    public static func isHexDigit(_ byte: UInt8) -> Bool {
        hexDigitValue(byte) != nil
    }

    @inlinable
    public static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26
    }

    /// A hex digit's value, either case; nil for any other byte.
    @inlinable
    public static func hexDigitValue(_ byte: UInt8) -> UInt8? {
        if isDigit(byte) { return byte - UInt8(ascii: "0") }
        let letter = (byte | 0x20) &- UInt8(ascii: "a")
        return letter < 6 ? letter + 10 : nil
    }

    /// The byte in lower case when it is an upper-case letter; any other byte as it is.
    @inlinable
    public static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    /// The digits of base 16, for writing hex: `0-9A-F` and `0-9a-f`.
    public static let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
    public static let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Decimal digits as a number; nil when empty, when any byte is not a digit, or on overflow.
    @inlinable
    public static func decimal<Value: FixedWidthInteger>(_ digits: some Collection<UInt8>, as: Value.Type = Value.self) -> Value? {
        guard !digits.isEmpty else { return nil }
        var value: Value = 0
        for byte in digits {
            guard isDigit(byte) else { return nil }
            let (tens, tensOverflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, sumOverflow) = tens.addingReportingOverflow(Value(byte - UInt8(ascii: "0")))
            guard !tensOverflow, !sumOverflow else { return nil }
            value = sum
        }
        return value
    }

    /// Hex digits, either case, as a number; nil when empty, when any byte is not a hex digit,
    /// or when there are more digits than the type holds.
    @inlinable
    public static func hexadecimal<Value: FixedWidthInteger & UnsignedInteger>(_ digits: some Collection<UInt8>,
                                                                              as: Value.Type = Value.self) -> Value? {
        guard !digits.isEmpty, digits.count <= Value.bitWidth / 4 else { return nil }
        var value: Value = 0
        for byte in digits {
            guard let digit = hexDigitValue(byte) else { return nil }
            value = value << 4 | Value(digit)
        }
        return value
    }
}

extension StringProtocol {
    /// ASCII case-insensitive equality, as HTTP compares field names and tokens.
    @inlinable
    public func caseInsensitiveEquals(_ other: some StringProtocol) -> Bool {
        utf8.count == other.utf8.count && zip(utf8, other.utf8).allSatisfy { ASCII.lowercased($0) == ASCII.lowercased($1) }
    }
}
