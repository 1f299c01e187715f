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

    /// Text content, escaped.
    mutating func text(_ value: some StringProtocol) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&#39;".utf8)
            default: bytes.append(byte)
            }
        }
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
