import CSQLite
import Glibc

/// How long a statement of one connection may run. SQLite's progress handler checks the clock
/// every `instructionsPerCheck` virtual-machine instructions and interrupts a statement still
/// running once its budget has passed: it fails with SQLITE_INTERRUPT, and the connection and
/// the statement stay usable. The clock starts when a statement takes its first step; statements
/// stepped while another is still running share its deadline, so none extends another's.
final class StatementBudget {
    /// SQLite runs about 60 million instructions a second here (a counting CTE, 17 per row), so a
    /// check comes every ~16 µs of work and a statement stops within 0.1 ms of its deadline;
    /// its cost is lost in the noise (a tenth as many checks saves nothing measurable, ten times
    /// as many cost 5-8%). SQLite counts a statement's instructions across its runs: a port lookup
    /// (about 400) meets a check every second or third run. Inside one instruction, such as FTS5
    /// expanding a prefix term, SQLite cannot stop: SearchQuery's caps bound those.
    static let instructionsPerCheck: Int32 = 1000

    let budget: Duration
    private let budgetNanoseconds: UInt64
    /// CLOCK_MONOTONIC in nanoseconds, read with one call: cheaper than ContinuousClock arithmetic
    /// on every statement.
    private var deadline: UInt64 = 0
    /// Statements between their first step and their end (done, failed, reset or finalized).
    private var running = 0

    init(_ budget: Duration) {
        self.budget = budget
        budgetNanoseconds = UInt64(budget / .nanoseconds(1))
    }

    /// Installs the handler on `connection`, which must not outlive this budget.
    func install(on connection: OpaquePointer) {
        sqlite3_progress_handler(connection, Self.instructionsPerCheck, { context in
            Unmanaged<StatementBudget>.fromOpaque(context!).takeUnretainedValue().isOverdue ? 1 : 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    func statementStarted() {
        if running == 0 { deadline = Self.now() + budgetNanoseconds }
        running += 1
    }

    func statementEnded() {
        running -= 1
    }

    /// Never while nothing runs: SQLite may call the handler while preparing a statement.
    private var isOverdue: Bool {
        running > 0 && Self.now() >= deadline
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
