import Basics
import HTTPServer
import PortInfoReports
import Registry

/// The strong ETag of a registry answer. Every answer of one registry in one format shares it:
/// it is made of what the answers are made of (the CSV's SHA-256, the site file's, the knowledge
/// tables', the schema, and the version of the answers' format), so every replica and every
/// restart serving the same data gives the same tag, a seed of other data changes every one, and
/// the compact and indented bodies, which differ byte for byte, have tags of their own.
struct EntityTag: Sendable, Equatable {
    /// Bumped whenever answers change for the same data: a field added, say.
    static let answerFormatVersion = 3
    /// How many hex digits of the digest the tag keeps: 64 bits tell registries apart.
    static let digestDigits = 16

    /// The tag as the ETag field carries it, quotes included: `"361899a764823799"`, `"361899a764823799-pretty"`.
    let value: String

    init(registry metadata: RegistryMetadata, representation: Representation) {
        let suffix = switch representation {
        case .json(.compact): ""
        case .json(.pretty): "-pretty"
        case .html: "-html"
        }
        value = Self.value(Self.registryParts(metadata), suffix: suffix)
    }

    /// The tag of `/registry/changes`: the registry's parts, and the SHA-256 of the changes it lists.
    init(registry metadata: RegistryMetadata, changes: String, format: APIJSON.Format) {
        value = Self.value(Self.registryParts(metadata) + " changes \(changes)", suffix: format == .pretty ? "-pretty" : "")
    }

    private static func registryParts(_ metadata: RegistryMetadata) -> String {
        "\(metadata.csvSHA256) \(metadata.site?.sha256 ?? "-") \(metadata.knowledgeSHA256) \(Migration.latestVersion) \(answerFormatVersion)"
    }

    private static func value(_ parts: String, suffix: String) -> String {
        var digest = SHA256()
        digest.update(Array(parts.utf8))
        return "\"\(digest.finalize().prefix(digestDigits))\(suffix)\""
    }

    /// The tag of an answer whose body is its own (`/registry`, which tells when it was seeded).
    init(digestOf body: [UInt8], format: APIJSON.Format) {
        var digest = SHA256()
        digest.update(body)
        value = "\"\(digest.finalize().prefix(Self.digestDigits))\(format == .pretty ? "-pretty" : "")\""
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
