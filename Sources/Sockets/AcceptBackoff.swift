/// How the server stops accepting when it runs out of file descriptors (EMFILE, ENFILE) or
/// kernel memory: accepting again at once would fail again at once, forever, at full speed.
/// So it pauses, for twice as long after each failure up to `longestPause`, and starts again
/// by itself; the first success ends the back-off. New connections wait in the listen backlog.
public struct AcceptBackoff: Sendable {
    public static let firstPause: Duration = .milliseconds(10)
    public static let longestPause: Duration = .seconds(1)

    private var nextPause = firstPause
    /// Failures since accepting last worked.
    public private(set) var failures = 0

    public init() {}

    /// Accepting failed: how long to pause before trying again.
    public mutating func failed() -> Duration {
        failures += 1
        defer { nextPause = min(nextPause * 2, Self.longestPause) }
        return nextPause
    }

    /// Accepting worked: how many failures came before (0 when there was no back-off).
    public mutating func succeeded() -> Int {
        defer { self = AcceptBackoff() }
        return failures
    }
}
