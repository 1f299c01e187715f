import Synchronization

/// The host's listening sockets, cheaply under load: `listeners()` may be called from many
/// threads at once; callers arriving while a scan runs wait for it rather than starting their
/// own, and a finished scan answers again until it is `maxAge` old. Socket table lines a scan
/// cannot read are left out of its answer and told to `skippedLines`.
public final class ListenerScanner: Sendable {
    /// Short enough that a socket opened a moment ago soon shows; long enough that a burst of
    /// requests costs one scan.
    public static let defaultMaxAge: Duration = .seconds(1)
    /// The host's own /proc, whose sockets sock_diag can tell.
    static let hostProcRoot = "/proc"

    /// How long a scan's result is reused, measured from the scan's start; `.zero` scans afresh
    /// for every caller (apart from those that wait for a scan already running).
    public let maxAge: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let scan: @Sendable () throws(HostStateError) -> (listeners: [Listener], malformed: MalformedLines)
    private let scanTook: (@Sendable (Duration) -> Void)?
    private let skippedLines: (@Sendable (MalformedLines) -> Void)?
    private let state = Mutex(State())

    private struct State {
        var latest: (startedAt: ContinuousClock.Instant, listeners: [Listener])?
        var inFlight: ScanInFlight?
        var waitingCallers = 0
    }

    /// Scans the /proc tree at `procRoot` and names socket owners through the passwd file at
    /// `passwdPath`. With the host's `/proc` the sockets come from the kernel's sock_diag over
    /// netlink, and from the /proc/net tables where netlink is refused; a tree of a test's own is
    /// read from its tables. What a scan read of each process's descriptors is remembered for
    /// the next while the process's count of them stays the same (SocketOwners). `now` is the
    /// clock that ages results and times scans; `scanTook`, when given, hears how long each scan
    /// took, and `skippedLines` the table lines each scan that left any out could not read (how
    /// many, and the first: for a counter and a log line). Both are called by the caller that ran
    /// the scan.
    public convenience init(
        procRoot: String = "/proc",
        passwdPath: String = "/etc/passwd",
        maxAge: Duration = defaultMaxAge,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        scanTook: (@Sendable (Duration) -> Void)? = nil,
        skippedLines: (@Sendable (MalformedLines) -> Void)? = nil
    ) {
        let reader = ListenerReader(sockDiag: procRoot == Self.hostProcRoot ? SockDiagReader() : nil,
                                    procRoot: procRoot, passwdPath: passwdPath)
        self.init(maxAge: maxAge, now: now, scanTook: scanTook, skippedLines: skippedLines, scan: { () throws(HostStateError) in
            let reading = try reader.read()
            return (reading.listeners, reading.malformed)
        })
    }

    /// With any scan in place of reading /proc, for tests of the sharing and the reuse.
    init(
        maxAge: Duration,
        now: @escaping @Sendable () -> ContinuousClock.Instant,
        scanTook: (@Sendable (Duration) -> Void)? = nil,
        skippedLines: (@Sendable (MalformedLines) -> Void)? = nil,
        scan: @escaping @Sendable () throws(HostStateError) -> (listeners: [Listener], malformed: MalformedLines)
    ) {
        precondition(maxAge >= .zero, "maxAge must not be negative")
        self.maxAge = maxAge
        self.now = now
        self.scanTook = scanTook
        self.skippedLines = skippedLines
        self.scan = scan
    }

    /// The listening sockets, sorted by transport (tcp first), port, family (ipv4 first),
    /// address and pid. Throws `HostStateError.unsupported` where netlink is refused and there is
    /// no /proc/net.
    public func listeners() throws(HostStateError) -> [Listener] {
        enum Role { case reuse([Listener]), wait(ScanInFlight), run(ScanInFlight) }
        let role = state.withLock { state -> Role in
            if let latest = state.latest, now() - latest.startedAt < maxAge { return .reuse(latest.listeners) }
            if let inFlight = state.inFlight {
                state.waitingCallers += 1
                return .wait(inFlight)
            }
            let inFlight = ScanInFlight()
            state.inFlight = inFlight
            return .run(inFlight)
        }
        switch role {
        case let .reuse(listeners):
            return listeners
        case let .wait(inFlight):
            defer { state.withLock { $0.waitingCallers -= 1 } }
            return try inFlight.wait().get()
        case let .run(inFlight):
            let startedAt = now()
            let scanned = Result { () throws(HostStateError) in try scan() }
            scanTook?(now() - startedAt)
            if case let .success((_, malformed)) = scanned, malformed.count > 0 { skippedLines?(malformed) }
            let result = scanned.map(\.listeners)
            state.withLock { state in
                state.inFlight = nil
                // A failure is shared with the callers waiting for it, but never reused.
                if case let .success(listeners) = result { state.latest = (startedAt, listeners) }
            }
            inFlight.finish(result)
            return try result.get()
        }
    }

    /// How many callers are waiting for the scan in progress.
    var waitingCallers: Int {
        state.withLock { $0.waitingCallers }
    }
}
