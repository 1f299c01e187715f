import Dispatch
import Synchronization

/// A scan in progress, which callers arriving while it runs wait for instead of starting their own.
final class ScanInFlight: Sendable {
    private let done = DispatchGroup()
    private let outcome = Mutex<Result<[Listener], HostStateError>?>(nil)

    init() {
        done.enter()
    }

    /// Called once, by the caller that ran the scan.
    func finish(_ result: Result<[Listener], HostStateError>) {
        outcome.withLock { $0 = result }
        done.leave()
    }

    /// Blocks until `finish`, then gives what it was given.
    func wait() -> Result<[Listener], HostStateError> {
        done.wait()
        return outcome.withLock { $0! }
    }
}
