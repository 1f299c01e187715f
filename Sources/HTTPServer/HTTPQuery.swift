import Basics

/// A request's query string, read as HTML forms write it: `name=value` pairs joined by `&`, `+`
/// for a space, percent-encoded UTF-8. Decoded lazily, so that only the parameters an application
/// reads can make a request fail. A parameter given more than once counts with its first value.
public struct HTTPQuery: Sendable {
    /// A parameter whose value is not percent-encoded UTF-8: its name, and its value as sent.
    public struct InvalidEncoding: Error {
        public let name: String
        public let raw: Substring
    }

    private let query: Substring?

    public init(_ query: Substring?) {
        self.query = query
    }

    /// Whether `name` is present, with any value or none (`?pretty`, `?pretty=1`).
    public func contains(_ name: String) -> Bool {
        rawValue(name) != nil
    }

    /// The decoded value of `name` (`""` for `?name` and `?name=`), nil when it is absent.
    public func value(_ name: String) throws(InvalidEncoding) -> String? {
        guard let raw = rawValue(name) else { return nil }
        guard let value = String(percentDecoding: raw, plusIsSpace: true) else { throw InvalidEncoding(name: name, raw: raw) }
        return value
    }

    /// The still-encoded value of the first pair whose decoded name is `name`. Walks bytes, not
    /// Characters: a query is ASCII, and Character steps cost microseconds here.
    private func rawValue(_ name: String) -> Substring? {
        guard let query else { return nil }
        let bytes = query.utf8
        var pairStart = bytes.startIndex
        while pairStart != bytes.endIndex {
            let pairEnd = bytes[pairStart...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.endIndex
            // An empty pair (`a&&b`, a leading `&`) names nothing, as in WHATWG's form parsing.
            if pairStart != pairEnd {
                let equals = bytes[pairStart..<pairEnd].firstIndex(of: UInt8(ascii: "="))
                if Self.decodes(query[pairStart..<(equals ?? pairEnd)], to: name) {
                    return query[(equals.map(bytes.index(after:)) ?? pairEnd)..<pairEnd]
                }
            }
            pairStart = pairEnd == bytes.endIndex ? pairEnd : bytes.index(after: pairEnd)
        }
        return nil
    }

    /// Whether `rawName` decodes to exactly the bytes of `name`. Not String's `==`, which takes
    /// canonically equivalent text for equal: `%E2%84%AA` (KELVIN SIGN) would be the name `K`.
    private static func decodes(_ rawName: Substring, to name: String) -> Bool {
        guard rawName.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return rawName.utf8.elementsEqual(name.utf8)
        }
        return String(percentDecoding: rawName, plusIsSpace: true)?.utf8.elementsEqual(name.utf8) ?? false
    }
}
