/// Where the registry's data came from (the `registry_metadata` row).
public struct RegistryMetadata: Equatable, Sendable {
    public let source: String
    public let csvSHA256: String
    public let importedAt: String
    public let recordCount: Int
    public let newestIANADate: String?
}
