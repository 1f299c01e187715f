import Basics

/// RFC 9110's character classes and small grammars, as the parser checks them.
public enum HTTPSyntax {
    /// SP or HTAB: optional white space (OWS, BWS).
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// tchar: what methods, field names and codings are made of.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        ASCII.isDigit(byte) || ASCII.isLetter(byte) || "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }

    /// field-vchar, SP or HTAB: visible ASCII, obs-text, and blanks; no other control characters.
    static func isFieldValueCharacter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\t") || (byte >= 0x20 && byte != 0x7F)
    }

    /// The index just past the quoted-string (RFC 9110 §5.6.4) that starts at `start` (its
    /// opening DQUOTE), or nil when it is not one.
    static func quotedStringEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                return index + 1
            case UInt8(ascii: "\\"):
                // quoted-pair: HTAB, SP, VCHAR or obs-text
                guard index + 1 < bytes.count, isFieldValueCharacter(bytes[index + 1]) else { return nil }
                index += 2
            default:
                // qdtext: HTAB, SP, visible ASCII but DQUOTE and backslash, obs-text
                guard isFieldValueCharacter(byte) else { return nil }
                index += 1
            }
        }
        return nil
    }

    /// `uri-host [":" port]` (RFC 9110 §7.2), or empty.
    static func isValidHost(_ host: String) -> Bool {
        var bytes = Substring(host).utf8[...]
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = bytes[bytes.index(after: bytes.startIndex)..<close]
            guard !literal.isEmpty, literal.allSatisfy({ ASCII.isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { return false }
            bytes = bytes[bytes.index(after: close)...]
        } else {
            let name = bytes.prefix { $0 != UInt8(ascii: ":") }
            // reg-name: unreserved, pct-encoded and sub-delims
            guard name.allSatisfy({ ASCII.isDigit($0) || ASCII.isLetter($0) || "-._~%!$&'()*+,;=".utf8.contains($0) }) else { return false }
            bytes = bytes[name.endIndex...]
        }
        guard let colon = bytes.first else { return true }
        let port = bytes.dropFirst()
        return colon == UInt8(ascii: ":") && port.count <= 5 && port.allSatisfy { ASCII.isDigit($0) }
    }

    /// The elements of a comma-separated field value, trimmed, empty ones dropped (RFC 9110 §5.6.1).
    public static func commaSeparated(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}

extension Substring {
    public func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
