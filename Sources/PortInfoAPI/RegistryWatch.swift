import Registry

/// What the registry watcher knows of the files it watches, as a value: how they looked when it
/// last checked them, why what they hold is not served (if it is not), and when it checked. It
/// says what `/healthz` reports of them, testable without files or threads.
struct RegistryWatch: Equatable, Sendable {
    /// Why the files are not taken: the reason `/healthz` gives anyone (no server paths), and the
    /// detail the log gives.
    struct Problem: Equatable, Sendable {
        let reason: String
        let detail: String
    }

    /// A check of the files that has run this long has stopped, for all it tells anyone: a load
    /// gives up at its budget (`RegistryLoad.serverBudget`), and a file cannot hold up the opening of it.
    static let stallLimit: Duration = .seconds(15)

    /// The files as the last check saw them; nil before any (or without a site file).
    private(set) var file: WatchedFileState?
    private(set) var siteFile: WatchedFileState?
    private(set) var problem: Problem?
    /// When the check under way began; nil between checks.
    private(set) var checkingSince: ContinuousClock.Instant?
    /// When the last check ended; nil before the first (a server checks every second; an API
    /// nobody asks to check has no watcher to be stalled).
    private(set) var lastChecked: ContinuousClock.Instant?

    init(file: WatchedFileState?, siteFile: WatchedFileState?) {
        self.file = file
        self.siteFile = siteFile
    }

    /// Whether files that look like this need a look, or `force`.
    func needsLook(file: WatchedFileState, siteFile: WatchedFileState?, force: Bool) -> Bool {
        force || file != self.file || siteFile != self.siteFile
    }

    mutating func began(at now: ContinuousClock.Instant) {
        checkingSince = now
    }

    /// A check that looked at the files and took what it could (`problem` nil) or not.
    mutating func looked(file: WatchedFileState, siteFile: WatchedFileState?, problem: Problem?, at now: ContinuousClock.Instant) {
        self.file = file
        self.siteFile = siteFile
        self.problem = problem
        ended(at: now)
    }

    /// A check that found nothing to do, or must look again next time (a writer held the file).
    mutating func ended(at now: ContinuousClock.Instant) {
        checkingSince = nil
        lastChecked = now
    }

    /// Why `/healthz` says degraded at `now`, or nil: the files cannot be taken, or the watcher has
    /// been in one check, or without one, for longer than `stallLimit` (then a new registry on disk
    /// would not be taken).
    func degradedReason(at now: ContinuousClock.Instant) -> String? {
        if let checkingSince, now - checkingSince > Self.stallLimit {
            return "the registry watcher has been checking the files for \(Self.seconds(now - checkingSince)) s without an end"
        }
        if checkingSince == nil, let lastChecked, now - lastChecked > Self.stallLimit {
            return "the registry watcher has not checked the files for \(Self.seconds(now - lastChecked)) s"
        }
        return problem?.reason
    }

    private static func seconds(_ duration: Duration) -> Int64 {
        duration.components.seconds
    }
}
