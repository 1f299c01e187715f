import Basics
import CSQLite
import Glibc

/// Holds the statements of a connection to a TimeBudget. SQLite's progress handler looks every
/// `instructionsPerCheck` virtual-machine instructions, and interrupts a statement past either
/// limit: it fails with SQLITE_INTERRUPT, and the connection and the statement stay usable.
///
/// `.eachStatement` (queries): the clocks start when a statement takes its first step; statements
/// stepped while another is still running share its clocks, so none extends another's.
/// `.wholeWork` (loading a registry): the clocks start when the budget is made, and every
/// statement of every connection it is installed on counts against it, as do the checks of work
/// outside SQLite (`check()`). Either way, the thread that started the clocks does the work.
final class StatementBudget {
    enum Scope {
        case eachStatement, wholeWork
    }

    /// SQLite runs about 60 million instructions a second here (a counting CTE, 17 per row), so a
    /// check comes every ~16 µs of work and a statement stops within 0.1 ms of a limit. Most
    /// checks read only the monotonic clock (vDSO, no system call); the thread's CPU time (a
    /// system call, some 0.3 µs) when the clocks start and every `cpuReadInterval` checks.
    static let instructionsPerCheck: Int32 = 1000
    static let cpuReadInterval = 4

    let budget: TimeBudget
    let scope: Scope
    private let wallNanoseconds: UInt64
    private let cpuNanoseconds: UInt64
    /// CLOCK_MONOTONIC at which the wall-clock limit passes.
    private var wallDeadline: UInt64 = 0
    /// The thread's CPU time when the clocks started.
    private var cpuStart: UInt64 = 0
    private var checksSinceCPURead = 0
    /// Statements between their first step and their end (done, failed, reset or finalized).
    private var running = 0
    /// Which limit interrupted the work last; nil while none has.
    private(set) var exceeded: TimeBudgetLimit?

    init(_ budget: TimeBudget, scope: Scope = .eachStatement) {
        self.budget = budget
        self.scope = scope
        wallNanoseconds = UInt64(max(0, budget.wall.nanoseconds))
        cpuNanoseconds = UInt64(max(0, budget.cpu.nanoseconds))
        if scope == .wholeWork { startClocks() }
    }

    /// Installs the handler on `connection`, which must not outlive this budget.
    func install(on connection: OpaquePointer) {
        sqlite3_progress_handler(connection, Self.instructionsPerCheck, { context in
            Unmanaged<StatementBudget>.fromOpaque(context!).takeUnretainedValue().isOverdue ? 1 : 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    func statementStarted() {
        guard scope == .eachStatement else { return }
        if running == 0 { startClocks() }
        running += 1
    }

    func statementEnded() {
        guard scope == .eachStatement else { return }
        running -= 1
    }

    /// For work outside SQLite under a `.wholeWork` budget: whether it is past a limit now.
    func check() -> Bool {
        checksSinceCPURead = Self.cpuReadInterval
        return isOverdue
    }

    private func startClocks() {
        wallDeadline = Self.now(CLOCK_MONOTONIC) + wallNanoseconds
        cpuStart = Self.now(CLOCK_THREAD_CPUTIME_ID)
        checksSinceCPURead = 0
        exceeded = nil
    }

    /// Never while no statement runs (SQLite may call the handler while preparing one).
    private var isOverdue: Bool {
        guard scope == .wholeWork || running > 0 else { return false }
        if Self.now(CLOCK_MONOTONIC) >= wallDeadline {
            exceeded = .wall
            return true
        }
        checksSinceCPURead += 1
        guard checksSinceCPURead >= Self.cpuReadInterval else { return false }
        checksSinceCPURead = 0
        guard Self.now(CLOCK_THREAD_CPUTIME_ID) - cpuStart >= cpuNanoseconds else { return false }
        exceeded = .cpu
        return true
    }

    private static func now(_ clock: clockid_t) -> UInt64 {
        var time = timespec()
        clock_gettime(clock, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
