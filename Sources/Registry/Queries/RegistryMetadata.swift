/// Where the registry's data came from (the `registry_metadata` row).
public struct RegistryMetadata: Equatable, Sendable {
    /// How the IANA CSV was named when seeded: its file's name, a URL, or the built-in snapshot.
    public let source: String
    public let csvSHA256: String
    public let importedAt: String
    /// Every record: IANA's and the site's.
    public let recordCount: Int
    public let newestIANADate: String?
    /// The site's own port file, when one was seeded beside IANA's CSV.
    public let site: Site?
    /// What the changes were measured from: the CSV the replaced database was seeded from.
    public let previous: Previous?
    /// Hex SHA-256 of the everyday-name and known-use tables loaded beside IANA's records.
    public let knowledgeSHA256: String

    public struct Site: Equatable, Sendable {
        public let source: String
        public let sha256: String
        public let recordCount: Int
    }

    public struct Previous: Equatable, Sendable {
        public let csvSHA256: String
        public let newestIANADate: String?
    }

    /// The columns `init(row:)` reads, in its order.
    static let columns = """
        source, csv_sha256, imported_at, record_count, newest_iana_date, site_source, site_sha256, site_record_count,
        previous_csv_sha256, previous_newest_iana_date, knowledge_sha256
        """

    init(row: Statement) {
        source = row.text(at: 0)
        csvSHA256 = row.text(at: 1)
        importedAt = row.text(at: 2)
        recordCount = row.int(at: 3)
        newestIANADate = row.optionalText(at: 4)
        site = row.optionalText(at: 5).map { Site(source: $0, sha256: row.text(at: 6), recordCount: row.int(at: 7)) }
        previous = row.optionalText(at: 8).map { Previous(csvSHA256: $0, newestIANADate: row.optionalText(at: 9)) }
        knowledgeSHA256 = row.text(at: 10)
    }

    /// Whether a seed of `input` would make this same registry: the same CSV, the same site file
    /// (or none), and the knowledge tables this binary carries. The seeder checks the schema
    /// version beside it.
    func isSeeded(from input: SeedInput) -> Bool {
        csvSHA256 == input.csvSHA256 && site?.sha256 == input.sitePorts?.sha256 && knowledgeSHA256 == (try? Knowledge.builtIn())?.sha256
    }
}
