import Basics

/// The IANA registry the binary carries (`iana/` in the repository, embedded at build time), so
/// that it serves and answers with nothing beside it, on a machine without a network. IANA's
/// protocol registries are public domain (CC0 1.0 since 2021-11-10); portinfo attributes the data
/// to IANA with the registry's URL and implies no endorsement.
public enum BuiltInSnapshot {
    /// The CSV, byte for byte as IANA published it: carried compressed (a third of its size),
    /// expanded when first asked for.
    public static let csv: String = {
        let (name, size, compressed) = embeddedSnapshotFiles[0]
        let block = compressed.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        guard let bytes = LZBlock.decompress(block, size: size) else { fatalError("the built-in \(name) does not expand: the build is broken") }
        return String(decoding: bytes, as: UTF8.self)
    }()
    /// When IANA published it: `YYYY-MM`, from the file's name.
    public static let date: String = {
        let name = embeddedSnapshotFiles[0].name // service-names-port-numbers-YYYY-MM.csv
        return String(name.dropLast(".csv".count).suffix("YYYY-MM".count))
    }()
    /// How `/registry` and the CLI name it as a source.
    public static var sourceName: String { "IANA snapshot \(date), built into portinfo" }
}

/// The registry's home, and the credit its data needs wherever it is shown.
public enum IANARegistry {
    public static let pageURL = "https://www.iana.org/assignments/service-names-port-numbers/"
    /// Where IANA publishes the registry as CSV: the latest, for `portinfo seed` to take.
    public static let csvURL = "https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.csv"
    public static let attribution = """
        Data: IANA Service Name and Transport Protocol Port Number Registry, \(pageURL) \
        (public domain, CC0 1.0); portinfo is not endorsed by IANA.
        """
}
