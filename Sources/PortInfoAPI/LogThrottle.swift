import Synchronization

/// Lets a message that may recur with every request into the log at most once an `interval`, so
/// that what a client or a host can make happen often cannot flood the log.
final class LogThrottle: Sendable {
    let interval: Duration
    private let lastLogged = Mutex<ContinuousClock.Instant?>(nil)

    init(interval: Duration) {
        self.interval = interval
    }

    /// Whether to log now: the first time, and once `interval` has passed since the last.
    func allows(at now: ContinuousClock.Instant = .now) -> Bool {
        lastLogged.withLock { last in
            guard last.map({ now - $0 >= interval }) ?? true else { return false }
            last = now
            return true
        }
    }
}
