/// Where the registry's data came from (the `registry_metadata` row).
public struct RegistryMetadata: Equatable, Sendable, Encodable {
    public let source: String
    public let csvSHA256: String
    public let importedAt: String
    public let recordCount: Int
    public let newestIANADate: String?

    private enum CodingKeys: String, CodingKey {
        case source, csvSHA256 = "sha256", importedAt = "imported_at", recordCount = "record_count"
        case newestIANADate = "newest_iana_date"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(csvSHA256, forKey: .csvSHA256)
        try container.encode(importedAt, forKey: .importedAt)
        try container.encode(recordCount, forKey: .recordCount)
        try container.encode(newestIANADate, forKey: .newestIANADate)
    }
}
