import Dispatch
import Registry
import Synchronization

/// RegistryStores for concurrent queries. A store is not thread-safe, so each is lent to one
/// caller at a time. They are all opened at once, when the API starts, so that they all read the
/// same database file even if a seed renames a new one into place later (the answers' ETags name
/// the registry they were opened on). The API opens one for each query thread, so that none waits
/// for a store; a caller that finds them all busy would.
final class RegistryStorePool: Sendable {
    /// A store in the pool. Sendable because the pool hands it to one caller at a time.
    private final class LentStore: @unchecked Sendable {
        let store: RegistryStore
        init(_ store: RegistryStore) { self.store = store }
    }

    private let idle: Mutex<[LentStore]>
    private let available: DispatchSemaphore
    /// What the stores were opened on.
    let metadata: RegistryMetadata

    /// Opens the database at `path` read-only, `count` times (at least once), each store stopping
    /// any statement that runs past `statementBudget`.
    init(path: String, count: Int, statementBudget: Duration) throws {
        let first = try RegistryStore(path: path, statementBudget: statementBudget)
        metadata = try first.metadata()
        var stores = [LentStore(first)]
        for _ in 1..<max(1, count) {
            let store = try RegistryStore(path: path, statementBudget: statementBudget)
            guard try store.metadata() == metadata else { throw PortInfoAPIError.registryReplacedWhileOpening(path: path) }
            stores.append(LentStore(store))
        }
        available = DispatchSemaphore(value: stores.count)
        idle = Mutex(stores)
    }

    /// Runs `body` with a store of its own, waiting for one when all are lent out.
    func withStore<Result>(_ body: (RegistryStore) throws -> Result) rethrows -> Result {
        available.wait()
        // The semaphore counts the idle stores: one is there.
        let lent = idle.withLock { $0.removeLast() }
        defer {
            idle.withLock { $0.append(lent) }
            available.signal()
        }
        return try body(lent.store)
    }
}
