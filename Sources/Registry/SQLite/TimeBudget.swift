/// How long a piece of database work may take. The limit that counts is the CPU time the thread
/// doing it has used, which a busy machine does not change: a statement that a loaded host keeps
/// waiting for a processor is not cut off for it. Wall-clock time is a backstop, set well above,
/// for a thread that gets no processor at all.
public struct TimeBudget: Equatable, Sendable, CustomStringConvertible {
    public var cpu: Duration
    public var wall: Duration

    public init(cpu: Duration, wall: Duration) {
        precondition(cpu > .zero && wall > .zero, "a time budget is more than zero")
        self.cpu = cpu
        self.wall = wall
    }

    public var description: String { "\(cpu) of CPU time (\(wall) in all)" }
}

/// Which of a budget's two limits stopped the work.
public enum TimeBudgetLimit: Equatable, Sendable {
    case cpu, wall
}
