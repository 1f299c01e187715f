/// Why a registry database cannot be used or replaced; each says what to do about it.
public enum RegistryError: Error, CustomStringConvertible, Equatable {
    case missingDatabase(path: String)
    case notARegistry(path: String, reason: String)
    case incompleteDatabase(path: String)
    case invalidSitePorts(path: String, line: Int?, reason: String)
    case invalidCSV(source: String, error: CSVError)
    case emptyCSV(source: String)
    case seedFailed(path: String, reason: String)
    /// A query stopped by the store's statement budget: the database is sound, try again later.
    case queryTimedOut(budget: Duration)

    public var description: String {
        switch self {
        case let .missingDatabase(path):
            "no registry database at \(path): seed one with `portinfo seed --csv FILE` (see README: Getting the IANA CSV)"
        case let .notARegistry(path, reason):
            "\(path) is not a portinfo registry database (\(reason))"
        case let .incompleteDatabase(path):
            "\(path) holds no completed seed: run `portinfo seed --csv FILE --db \(path)`"
        case let .invalidSitePorts(path, line, reason):
            "\(path)\(line.map { " line \($0)" } ?? ""): \(reason); nothing was seeded from it"
        case let .invalidCSV(source, error):
            "\(source): \(error)"
        case let .emptyCSV(source):
            "\(source): no CSV header: the input is empty"
        case let .seedFailed(path, reason):
            "seeding \(path) failed, the previous database is untouched: \(reason)"
        case let .queryTimedOut(budget):
            "the registry query was stopped: it ran past its time budget of \(budget)"
        }
    }
}
