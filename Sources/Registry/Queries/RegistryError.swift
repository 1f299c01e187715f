/// Why a registry database cannot be used or replaced; each says what to do about it.
public enum RegistryError: Error, CustomStringConvertible, Equatable {
    case missingDatabase(path: String)
    /// The path names no regular file that can be read, or one too large.
    case unreadableDatabase(FileAccessError)
    /// A writer holds the file: try again in a moment.
    case databaseBusy(path: String)
    case notARegistry(path: String, reason: String)
    /// A database whose schema is not exactly what this binary's seed makes.
    case unexpectedSchema(path: String, difference: String)
    case incompleteDatabase(path: String)
    case invalidSitePorts(path: String, line: Int?, reason: String)
    case invalidCSV(source: String, error: CSVError)
    case emptyCSV(source: String)
    case seedFailed(path: String, reason: String)
    /// A query stopped by the store's statement budget: the database is sound, try again later.
    case queryTimedOut(budget: TimeBudget, limit: TimeBudgetLimit)
    /// A load of a registry stopped by its budget: abandoned, and nothing of it is used.
    case loadTimedOut(budget: TimeBudget, limit: TimeBudgetLimit)

    public var description: String {
        switch self {
        case let .missingDatabase(path):
            "no registry database at \(path): `portinfo seed --db \(path)` seeds the snapshot built into portinfo, "
                + "`portinfo seed --csv FILE --db \(path)` IANA's latest (docs/operations.md: Taking IANA's latest)"
        case let .unreadableDatabase(error):
            "the registry database \(error)"
        case let .databaseBusy(path):
            "\(path) is being written: try again in a moment"
        case let .notARegistry(path, reason):
            "\(path) is not a portinfo registry database (\(reason))"
        case let .unexpectedSchema(path, difference):
            "\(path) is not a registry database as portinfo seeds one: it \(difference); seed it anew with `portinfo seed`"
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
        case let .queryTimedOut(budget, limit):
            "the registry query was stopped: it ran past \(SQLiteError.limitText((budget, limit)))"
        case let .loadTimedOut(budget, limit):
            "loading the registry was abandoned: it ran past \(SQLiteError.limitText((budget, limit)))"
        }
    }
}
