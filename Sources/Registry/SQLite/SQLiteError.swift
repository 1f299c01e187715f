import Basics
import CSQLite

/// A failed SQLite call: SQLite's result code and message, and the SQL that failed (when there was one).
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let sql: String?
    /// For a statement the connection's budget interrupted: the budget, and which of its limits.
    let exceeded: (budget: TimeBudget, limit: TimeBudgetLimit)?

    /// With the connection's statement `budget`, an interruption says it was the budget's doing.
    /// SQLite's message may quote the database (a malformed schema's token): it is kept to an
    /// escaped excerpt, as anything from a file is.
    init(code: Int32, message: String, sql: String? = nil, budget: StatementBudget? = nil) {
        self.code = code
        exceeded = if code == SQLITE_INTERRUPT, let budget, let limit = budget.exceeded { (budget.budget, limit) } else { nil }
        let message = PrintableText.excerpt(message, limit: Self.longestMessage)
        self.message = if let exceeded { "\(message): still running past \(Self.limitText(exceeded))" } else { message }
        self.sql = sql
    }

    /// SQLite's own messages are a line or two; what is longer quotes its input.
    static let longestMessage = 200

    /// "its budget of 0.25 seconds of CPU time", "its budget of 2.0 seconds in all".
    static func limitText(_ exceeded: (budget: TimeBudget, limit: TimeBudgetLimit)) -> String {
        switch exceeded.limit {
        case .cpu: "its budget of \(exceeded.budget.cpu) of CPU time"
        case .wall: "its budget of \(exceeded.budget.wall) in all"
        }
    }

    /// The error SQLite last recorded on `connection` for a call that returned `code`.
    init(code: Int32, connection: OpaquePointer?, sql: String? = nil, budget: StatementBudget? = nil) {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        self.init(code: code, message: message, sql: sql, budget: budget)
    }

    /// Stopped by the statement budget (nothing else here interrupts a statement).
    var wasInterrupted: Bool { code == SQLITE_INTERRUPT && exceeded != nil }

    /// The file is damaged (SQLITE_CORRUPT in any of its extended forms, or not a database at all).
    var isCorruption: Bool { code & 0xFF == SQLITE_CORRUPT || code == SQLITE_NOTADB }

    public var description: String {
        guard let sql else { return "SQLite error \(code): \(message)" }
        return "SQLite error \(code): \(message) (in: \(sql))"
    }
}
