import HTTPServer
import Registry

/// The strong ETag of a registry answer. Every answer of one registry in one format shares it:
/// it is made of the CSV's SHA-256 (a seed of other data changes it), the time of the import (so
/// does a seed of the same data, since `/registry` tells that time) and the format (the compact
/// and indented bodies differ byte for byte, so must their strong tags).
struct EntityTag: Sendable {
    /// How many hex digits of the CSV's SHA-256 the tag keeps: 64 bits tell registries apart.
    static let digestDigits = 16

    /// The tag as the ETag field carries it, quotes included: `"361899a764823799-20260220123456"`,
    /// `"361899a764823799-20260220123456-pretty"`.
    let value: String

    init(registry metadata: RegistryMetadata, format: APIJSON.Format) {
        let importTime = metadata.importedAt.filter(\.isNumber)
        let suffix = format == .pretty ? "-pretty" : ""
        value = "\"\(metadata.csvSHA256.prefix(Self.digestDigits))-\(importTime)\(suffix)\""
    }

    /// Whether the request's If-None-Match fields make a 304 of it (RFC 9110, 13.1.2): `*`, or a
    /// list naming this tag, compared weakly (`W/"x"` matches `"x"`). Malformed lists match nothing
    /// beyond the point where they go wrong.
    func isMatched(byIfNoneMatchIn headers: HTTPHeaders) -> Bool {
        headers.contains { field in
            guard field.name.caseInsensitiveEquals("If-None-Match") else { return false }
            var list = field.value
            return list.withUTF8(listMatches)
        }
    }

    private func listMatches(_ list: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while true {
            while index < list.count, Self.separates(list[index]) { index += 1 }
            guard index < list.count else { return false }
            if list[index] == UInt8(ascii: "*") { return true }
            if list[index...].starts(with: "W/".utf8) { index += 2 }
            guard index < list.count, list[index] == UInt8(ascii: "\""),
                  let close = list[(index + 1)...].firstIndex(of: UInt8(ascii: "\""))
            else { return false }
            if list[index...close].elementsEqual(value.utf8) { return true }
            index = close + 1
        }
    }

    /// Commas and the white space around them, between the tags of a list.
    private static func separates(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}
