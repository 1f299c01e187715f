/// A moment on an I/O worker's clock, as the time since a fixed origin. (Not the clock's own
/// ContinuousClock.Instant: the standard library keeps the right to change that type's layout,
/// so a ConnectionState holding one went through the Swift runtime to test, set and copy its
/// case, 16% more instructions per request; a Duration's layout is fixed.)
struct Moment: Comparable {
    /// Any fixed instant: moments are only compared and subtracted.
    private static let origin = ContinuousClock.now

    private let sinceOrigin: Duration

    init(_ instant: ContinuousClock.Instant) {
        sinceOrigin = instant - Self.origin
    }

    private init(sinceOrigin: Duration) {
        self.sinceOrigin = sinceOrigin
    }

    static func + (moment: Moment, duration: Duration) -> Moment {
        Moment(sinceOrigin: moment.sinceOrigin + duration)
    }

    static func - (later: Moment, earlier: Moment) -> Duration {
        later.sinceOrigin - earlier.sinceOrigin
    }

    static func < (earlier: Moment, later: Moment) -> Bool {
        earlier.sinceOrigin < later.sinceOrigin
    }
}

/// When an event happened, as a connection's deadlines and its responses' Date field need it.
struct EventTime {
    let moment: Moment
    /// `Date: …\r\n`, for responses written now.
    let dateField: String
}
