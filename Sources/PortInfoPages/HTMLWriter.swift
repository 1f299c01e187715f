import Basics

/// Writes an HTML document with everything from the data escaped as text: the one way pages put
/// a value into markup. IANA's notes hold text such as `u=<username> p=<password>`, which must
/// reach the reader literally, never as an element.
struct HTMLWriter {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(8192)
    }

    /// Markup written by this module (tags, attribute names): never data.
    mutating func markup(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Text content (or an attribute value), escaped: the five markup characters as references,
    /// and the characters that act on the text around them unseen (PrintableText.needsEscape: the
    /// bidi controls, which make a name `rtl` U+202E `gnp.exe` read "rtlexe.png", and the C0 and C1
    /// controls and DEL) shown as `[U+202E]`; tab, LF and CR are only white space here. It runs over
    /// every byte of every page: runs of other bytes are copied whole, ASCII is never decoded, and
    /// only the lead bytes C2, D8 and E2 (of every such character above ASCII) make it look further.
    mutating func text(_ value: some StringProtocol) {
        if value.utf8.withContiguousStorageIfAvailable({ escape($0) }) == nil {
            Array(value.utf8).withUnsafeBufferPointer { escape($0) }
        }
    }

    private mutating func escape(_ text: UnsafeBufferPointer<UInt8>) {
        var copied = 0, index = 0
        while index < text.count {
            let byte = text[index]
            // How many bytes from `index` are written otherwise: 0, the byte is written as it is.
            var length = 0
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"),
                 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F:
                length = 1
            case 0xC2 where index + 1 < text.count:
                length = Self.needsShowing(UInt32(byte & 0x1F) << 6 | UInt32(text[index + 1] & 0x3F)) ? 2 : 0
            case 0xD8 where index + 1 < text.count:
                length = Self.needsShowing(UInt32(byte & 0x1F) << 6 | UInt32(text[index + 1] & 0x3F)) ? 2 : 0
            case 0xE2 where index + 2 < text.count:
                let scalar = UInt32(byte & 0x0F) << 12 | UInt32(text[index + 1] & 0x3F) << 6 | UInt32(text[index + 2] & 0x3F)
                length = Self.needsShowing(scalar) ? 3 : 0
            default:
                break
            }
            guard length > 0 else {
                index += 1
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied..<index]))
            switch byte {
            case UInt8(ascii: "&"): markup("&amp;")
            case UInt8(ascii: "<"): markup("&lt;")
            case UInt8(ascii: ">"): markup("&gt;")
            case UInt8(ascii: "\""): markup("&quot;")
            case UInt8(ascii: "'"): markup("&#39;")
            default: showControl(UnsafeBufferPointer(rebasing: text[index..<index + length]))
            }
            index += length
            copied = index
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied...]))
    }

    /// Whether the character `value` (of a valid UTF-8 sequence) is one a page shows, not obeys.
    private static func needsShowing(_ value: UInt32) -> Bool {
        Unicode.Scalar(value).map(PrintableText.needsEscape) ?? false
    }

    /// The control whose UTF-8 is `sequence` (one to three bytes), as `[U+XXXX]`: shown, not obeyed.
    private mutating func showControl(_ sequence: UnsafeBufferPointer<UInt8>) {
        let scalar: UInt32 = switch sequence.count {
        case 1: UInt32(sequence[0])
        case 2: UInt32(sequence[0] & 0x1F) << 6 | UInt32(sequence[1] & 0x3F)
        default: UInt32(sequence[0] & 0x0F) << 12 | UInt32(sequence[1] & 0x3F) << 6 | UInt32(sequence[2] & 0x3F)
        }
        markup("[U+")
        for shift in stride(from: 12, through: 0, by: -4) {
            bytes.append(ASCII.upperHexDigits[Int(scalar >> UInt32(shift) & 0xF)])
        }
        markup("]")
    }


    /// `<name attributes…>content</name>`; attribute values are escaped like text.
    mutating func element(_ name: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:],
                          _ content: (inout HTMLWriter) -> Void = { _ in }) {
        open(name, attributes)
        content(&self)
        markup("</")
        markup(name)
        markup(">")
    }

    /// `<name attributes…>text</name>`.
    mutating func element(_ name: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:], text value: String) {
        element(name, attributes) { $0.text(value) }
    }

    /// A start tag alone, for void elements (`input`, `meta`).
    mutating func open(_ name: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:]) {
        markup("<")
        markup(name)
        for (attribute, value) in attributes {
            markup(" ")
            markup(attribute)
            markup("=\"")
            text(value)
            markup("\"")
        }
        markup(">")
    }

    /// A link to `href`, or `value` alone when `href` may not be one (`isLinkable`): the one way
    /// pages write a link, so that no URL from the data (a known use's vendor page, an everyday
    /// name's source) becomes a `javascript:` link, whatever the CSP would do with it.
    mutating func link(_ href: String, text value: String) {
        guard Self.isLinkable(href) else { return text(value) }
        element("a", ["href": href], text: value)
    }

    /// Whether `href` is an absolute `http:` or `https:` URL (the scheme in any case), or a path of
    /// this server's: a `/` not followed by another `/` or a `\`, which browsers read as `//`, the
    /// start of another host. A URL with spaces or ASCII controls is neither: browsers drop tabs and
    /// line breaks inside one, so that `/<tab>/host` would be `//host`.
    static func isLinkable(_ href: String) -> Bool {
        let bytes = href.utf8
        guard !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { return false }
        if bytes.first == UInt8(ascii: "/") {
            let second = bytes.dropFirst().first
            return second != UInt8(ascii: "/") && second != UInt8(ascii: "\\")
        }
        // ASCII letters in lower case; no control is left to turn into `:` or `/` this way.
        let scheme = bytes.prefix(8).map { $0 | 0x20 }
        return scheme.starts(with: "http://".utf8) || scheme.starts(with: "https://".utf8)
    }
}
