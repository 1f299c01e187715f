import Glibc

/// Why the API cannot start, beside the RegistryErrors of opening its database; each says what to do.
public enum PortInfoAPIError: Error, CustomStringConvertible, Equatable {
    case negativeCacheMaxAge(Int)
    case invalidQueryPoolSize(threads: Int, queueLength: Int)
    case nonPositiveQueryTimeBudget(Duration)
    case nonPositiveMaximumDatabaseSize(Int)
    case cannotStartQueryThreads(errno: Int32)

    public var description: String {
        switch self {
        case let .negativeCacheMaxAge(seconds):
            "the cache max-age must be 0 or more seconds, got \(seconds)"
        case let .invalidQueryPoolSize(threads, queueLength):
            "the query pool needs at least 1 thread and room for 1 waiting query, got \(threads) threads and \(queueLength)"
        case let .nonPositiveQueryTimeBudget(budget):
            "the query time budget must be more than 0, got \(budget)"
        case let .nonPositiveMaximumDatabaseSize(bytes):
            "the largest database loaded must be more than 0 bytes, got \(bytes)"
        case let .cannotStartQueryThreads(errno):
            "cannot start the query threads: \(String(cString: strerror(errno)))"
        }
    }
}
