import Dispatch

/// A Duration in the units the system interfaces and libraries take: the one place that does
/// this arithmetic.
extension Duration {
    /// Whole nanoseconds (swift-metrics' timers, Dispatch), rounded down.
    public var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }

    /// Whole milliseconds, rounded up (epoll_wait's timeout: a wait never ends early); none for
    /// a negative duration.
    public var millisecondsRoundedUp: Int64 {
        let (seconds, attoseconds) = max(self, .zero).components
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }

    /// In seconds, with their fraction: for messages ("in 262 ms", "0.25 seconds").
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// As Dispatch takes it, to the nanosecond.
    public var dispatchInterval: DispatchTimeInterval {
        .nanoseconds(Int(nanoseconds))
    }
}
