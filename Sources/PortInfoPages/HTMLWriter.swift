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

    /// A link to `href` (a path of this server's, or an https URL built from data).
    mutating func link(_ href: String, text value: String) {
        element("a", ["href": href], text: value)
    }
}
