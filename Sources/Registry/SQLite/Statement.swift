import CSQLite

/// A prepared statement with typed binding (1-based, as SQLite counts) and column reading (0-based).
/// Reuse it: `reset()` (or `rows`) makes it ready to bind and run again.
public final class Statement {
    public let sql: String
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private let budget: StatementBudget?
    /// Between the first step and the end of a run: the budget's clock is running for it.
    private var isRunning = false

    init(sql: String, connection: OpaquePointer, budget: StatementBudget?) throws(SQLiteError) {
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard code == SQLITE_OK, let handle else {
            throw SQLiteError(code: code, connection: connection, sql: sql)
        }
        self.sql = sql
        self.handle = handle
        self.connection = connection
        self.budget = budget
    }

    deinit {
        endRun()
        sqlite3_finalize(handle)
    }

    private func check(_ code: Int32) throws(SQLiteError) {
        guard code == SQLITE_OK else { throw SQLiteError(code: code, connection: connection, sql: sql) }
    }

    // MARK: Binding

    public func bind(_ value: Int, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, Int64(value)))
    }

    public func bind(_ value: String, at index: Int32) throws(SQLiteError) {
        var value = value
        let code = value.withUTF8 { bytes in
            // A zero-length buffer may have no address; SQLite would take that for NULL.
            sqlite3_bind_text(handle, index, bytes.baseAddress.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(("" as StaticString).utf8Start),
                              Int32(bytes.count), sqliteTransient)
        }
        try check(code)
    }

    public func bind(_ value: String?, at index: Int32) throws(SQLiteError) {
        if let value { try bind(value, at: index) } else { try check(sqlite3_bind_null(handle, index)) }
    }

    public func bind(_ value: Int?, at index: Int32) throws(SQLiteError) {
        if let value { try bind(value, at: index) } else { try check(sqlite3_bind_null(handle, index)) }
    }

    // MARK: Running

    /// Advances to the next row: true when there is one, false when the statement is done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        if !isRunning {
            isRunning = true
            budget?.statementStarted()
        }
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            endRun()
            return false
        case let code:
            let error = SQLiteError(code: code, connection: connection, sql: sql, budget: budget)
            sqlite3_reset(handle)
            endRun()
            throw error
        }
    }

    /// Clears the bindings and rewinds, ready to run again.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        endRun()
    }

    private func endRun() {
        guard isRunning else { return }
        isRunning = false
        budget?.statementEnded()
    }

    /// Runs the bound statement to the end, mapping each row, then resets it.
    public func rows<Row>(_ transform: (Statement) throws -> Row) throws -> [Row] {
        defer { reset() }
        var rows: [Row] = []
        while try step() { rows.append(try transform(self)) }
        return rows
    }

    /// Runs a bound statement that returns no rows, then resets it.
    public func run() throws(SQLiteError) {
        defer { reset() }
        while try step() {}
    }

    // MARK: Reading the current row

    public func int(at column: Int32) -> Int {
        Int(sqlite3_column_int64(handle, column))
    }

    public func optionalInt(at column: Int32) -> Int? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : int(at: column)
    }

    public func text(at column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    public func optionalText(at column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : text(at: column)
    }
}

/// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
