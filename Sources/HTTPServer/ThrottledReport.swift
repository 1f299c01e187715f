/// Counts events that deserve a log line but could come by the thousand (refused connections,
/// failed accepts), and says when to log them: the first at once, then at most one line per
/// `interval`, each with how many happened since the last.
struct ThrottledReport {
    let interval: Duration
    private var unreported = 0
    private var lastReport: ContinuousClock.Instant?

    init(interval: Duration) {
        self.interval = interval
    }

    /// One more event at `now`: how many to report now (this one included), or nil to stay quiet.
    mutating func record(at now: ContinuousClock.Instant) -> Int? {
        unreported += 1
        if let lastReport, now - lastReport < interval { return nil }
        lastReport = now
        defer { unreported = 0 }
        return unreported
    }
}
