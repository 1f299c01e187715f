/// Text that came from outside (a file's contents, a request, a process name) made safe to print
/// in a log line or a terminal: control characters and bidi formatting characters are written as
/// escapes, so a value can neither end the line it is printed on (and forge another), nor send a
/// terminal an escape sequence, nor reorder what is printed after it.
public enum PrintableText {
    /// `text` with each control character (C0, DEL, C1) and bidi formatting character escaped:
    /// `\n`, `\r`, `\t`, and `\u{1B}` for the others. Printable text comes back as it was.
    public static func escaping(_ text: some StringProtocol) -> String {
        // Most of what is logged is printable ASCII: returned without a second look.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return String(text) }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where needsEscape(scalar): escaped += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// What a message may quote of a file: at most `limit` characters of `text`, escaped, with
    /// `…` where it was cut. Quote only what the reader needs to find the mistake (a column
    /// name, a field), and nothing of a file that is not text (`isText`).
    public static func excerpt(_ text: some StringProtocol, limit: Int = defaultExcerptLength) -> String {
        let characters = text.unicodeScalars
        guard characters.count > limit else { return escaping(text) }
        return escaping(String(String.UnicodeScalarView(characters.prefix(limit)))) + "…"
    }

    /// Enough of a field to recognise it by, short enough that a message quotes little of a file.
    public static let defaultExcerptLength = 32

    /// Whether `bytes` read as text: valid UTF-8 without NUL. A file that is not (an environment
    /// block, a binary) is never quoted.
    public static func isText(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.contains(0) && String(validating: bytes, as: UTF8.self) != nil
    }

    /// C0 controls, DEL, C1 controls, and the characters that change the direction of the text
    /// after them (U+061C, U+200E-200F, U+202A-202E, U+2066-2069).
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x61C, 0x200E...0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
