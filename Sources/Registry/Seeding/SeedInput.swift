/// What a registry is seeded from: IANA's CSV (its bytes, and how to name where they came from),
/// and optionally a site's own port assignments.
public struct SeedInput: Sendable {
    /// A registry CSV is about a megabyte; one many times that is not IANA's.
    public static let maximumCSVBytes = 64 << 20

    public let csv: [UInt8]
    /// How `/registry` names the CSV: a file's name, a URL, or the built-in snapshot.
    public let source: String
    /// Where the CSV was read from, as errors name it: the path given, standard input, or the
    /// built-in snapshot.
    public let origin: String
    public let sitePorts: SitePortsFile?
    public let csvSHA256: String

    init(csv: [UInt8], source: String, origin: String? = nil, sitePorts: SitePortsFile? = nil) {
        self.csv = csv
        self.source = source
        self.origin = origin ?? source
        self.sitePorts = sitePorts
        var digest = SHA256()
        digest.update(csv)
        csvSHA256 = digest.finalize()
    }

    /// The snapshot the binary carries.
    public static func builtIn(sitePorts: SitePortsFile? = nil) -> SeedInput {
        SeedInput(csv: Array(BuiltInSnapshot.csv.utf8), source: BuiltInSnapshot.sourceName, sitePorts: sitePorts)
    }

    /// The CSV at `path` (`-`: standard input), named by `source` or else by its file name.
    public static func file(_ path: String, source: String? = nil, sitePorts: SitePortsFile? = nil) throws -> SeedInput {
        var file = try InputFile(path: path)
        let bytes = try file.readAll(limit: maximumCSVBytes, source: path)
        let name = path == "-" ? "standard input" : String(path.split(separator: "/").last ?? Substring(path))
        return SeedInput(csv: bytes, source: source ?? name, origin: path == "-" ? name : path, sitePorts: sitePorts)
    }
}
