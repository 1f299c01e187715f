import Dispatch
import Registry
import Synchronization

/// RegistryStores for concurrent queries on one registry image. A store is not thread-safe, so
/// each is lent to one caller at a time. The API opens one for each query thread, so that none
/// waits for a store; a caller that finds them all busy would.
final class RegistryStorePool: Sendable {
    /// A store in the pool. (Unchecked Sendable: a RegistryStore is not, but `withStore` lends
    /// each to one caller at a time, taken from and returned to `idle` under its lock.)
    private final class LentStore: @unchecked Sendable {
        let store: RegistryStore
        init(_ store: RegistryStore) { self.store = store }
    }

    private let idle: Mutex<[LentStore]>
    private let available: DispatchSemaphore

    /// Opens `image` read-only, `count` times (at least once), each store stopping any statement
    /// that runs past `statementBudget`.
    init(image: RegistryImage, count: Int, statementBudget: TimeBudget) throws {
        let stores = try (0..<max(1, count)).map { _ in LentStore(try RegistryStore(image: image, statementBudget: statementBudget)) }
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
