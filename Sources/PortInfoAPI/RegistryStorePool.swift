import Dispatch
import Registry
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// RegistryStores for concurrent requests. A store is not thread-safe, so each is lent to one
/// caller at a time. They are all opened at once, when the API starts, so that they all read the
/// same database file even if a seed renames a new one into place later (the answers' ETags name
/// the registry they were opened on); a caller that finds them all busy waits for one.
final class RegistryStorePool: Sendable {
    /// SQLite answers from memory once warm, so a query keeps a processor busy: about as many
    /// stores as processors, with one spare each for a query that waits on the disk.
    static let storesPerProcessor = 2

    /// A store in the pool. Sendable because the pool hands it to one caller at a time.
    private final class LentStore: @unchecked Sendable {
        let store: RegistryStore
        init(_ store: RegistryStore) { self.store = store }
    }

    private let idle: Mutex<[LentStore]>
    private let available: DispatchSemaphore
    /// What the stores were opened on.
    let metadata: RegistryMetadata

    /// Opens the database at `path` read-only, once for each store.
    init(path: String) throws {
        let first = try RegistryStore(path: path)
        metadata = try first.metadata()
        var stores = [LentStore(first)]
        for _ in 1..<Self.storesPerProcessor * processorCount() {
            let store = try RegistryStore(path: path)
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

/// The processors this process may run on (at least 1).
private func processorCount() -> Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
