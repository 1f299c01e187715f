/// Counts events that deserve a log line but could come by the thousand (refused connections,
/// failed accepts, unreadable socket table lines, queries at their budget), and says when to log
/// them: the first at once, then at most one line per `interval`, each with how many happened
/// since the last. A value: keep it where its events are serialized, or behind a Mutex.
public struct ThrottledReport: Sendable {
    public let interval: Duration
    private var unreported = 0
    private var lastReport: ContinuousClock.Instant?

    public init(interval: Duration) {
        self.interval = interval
    }

    /// One more event at `now`: how many to report now (this one included), or nil to stay quiet.
    public mutating func record(at now: ContinuousClock.Instant = .now) -> Int? {
        unreported += 1
        if let lastReport, now - lastReport < interval { return nil }
        lastReport = now
        defer { unreported = 0 }
        return unreported
    }
}
