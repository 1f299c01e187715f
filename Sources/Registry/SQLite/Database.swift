import CSQLite

/// One connection to an SQLite database file. Not thread-safe: use it from one thread at a time.
public final class Database {
    public enum Mode: Sendable {
        /// For serving and queries: the file must exist, and nothing is ever written to it.
        case readOnly
        /// For seeding: the file is created when missing.
        case readWriteCreate
    }

    public let path: String
    let connection: OpaquePointer
    /// nil: statements run as long as they take (seeding and one-shot commands, which no client waits on).
    var statementBudget: StatementBudget? {
        didSet {
            if let statementBudget { statementBudget.install(on: connection) } else { sqlite3_progress_handler(connection, 0, nil, nil) }
        }
    }

    /// A database file, for seeding (the new file the seed writes, `.readWriteCreate`) and for
    /// tests; the server and the commands read registries through `RegistryImage.load`. With a
    /// `statementBudget`, a statement past it is interrupted: it fails with SQLITE_INTERRUPT, and
    /// can be run again.
    public convenience init(path: String, mode: Mode, statementBudget: TimeBudget? = nil) throws(SQLiteError) {
        try self.init(opening: path, flags: 0, mode: mode, budget: statementBudget.map { StatementBudget($0) })
    }

    /// The in-memory database `name` (`/name`): every connection of the process that opens the
    /// same name shares it (SQLite's memdb), and it lives while one is open.
    convenience init(memoryNamed name: String, mode: Mode, budget: StatementBudget? = nil) throws(SQLiteError) {
        try self.init(opening: "file:\(name)?vfs=memdb", flags: SQLITE_OPEN_URI, mode: mode, budget: budget)
        // The image is memory already: a page cache of each connection's own would hold a second
        // copy of every page it read (2 MB a connection by default), where a cache miss costs a memcpy.
        try execute("PRAGMA cache_size = -\(Self.memoryImageCacheKiB)")
    }

    /// A private in-memory database holding `bytes`, a database file's image that SQLite
    /// allocated (`sqlite3_malloc64`) and now owns: read-only, never written back anywhere.
    convenience init(deserializing bytes: UnsafeMutableRawPointer, count: Int, name: String, budget: StatementBudget?) throws(SQLiteError) {
        do {
            try self.init(opening: ":memory:", flags: 0, mode: .readWriteCreate, budget: budget, name: name)
        } catch {
            sqlite3_free(bytes)
            throw error
        }
        let code = sqlite3_deserialize(connection, "main", bytes.assumingMemoryBound(to: UInt8.self), Int64(count), Int64(count),
                                       UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY))
        guard code == SQLITE_OK else { throw SQLiteError(code: code, connection: connection) }
    }

    /// KiB of page cache an in-memory connection keeps: the pages of one search's working set.
    static let memoryImageCacheKiB = 256

    /// `name` is how errors name the database: the path the operator gave, never an internal one.
    private init(opening path: String, flags extraFlags: Int32, mode: Mode, budget: StatementBudget?, name: String? = nil) throws(SQLiteError) {
        _ = Self.configured
        let flags: Int32 = switch mode {
        case .readOnly: SQLITE_OPEN_READONLY
        case .readWriteCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        var connection: OpaquePointer?
        let code = sqlite3_open_v2(path, &connection, flags | extraFlags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let connection else {
            let error = SQLiteError(code: code, connection: connection, sql: nil)
            sqlite3_close_v2(connection)
            throw SQLiteError(code: error.code, message: "\(error.message): \(name ?? path)")
        }
        sqlite3_extended_result_codes(connection, 1)
        let treated = portinfo_sqlite3_treat_as_data(connection)
        guard treated == SQLITE_OK else {
            sqlite3_close_v2(connection)
            throw SQLiteError(code: treated, message: "cannot configure SQLite: \(String(cString: sqlite3_errstr(treated)))")
        }
        self.path = name ?? path
        self.connection = connection
        statementBudget = budget
        budget?.install(on: connection)
    }

    deinit {
        sqlite3_close_v2(connection)
    }

    /// SQLite's process-wide settings, made once, before anything initializes SQLite: the first
    /// connection, or the first `sqlite3_malloc64` (RegistryImage reads files into SQLite's memory).
    /// Made after, they fail, and every allocation takes SQLite's global mutex.
    static let configured: Void = {
        _ = portinfo_sqlite3_disable_memory_statistics()
    }()

    /// Runs one or more SQL statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        statementBudget?.statementStarted()
        let code = sqlite3_exec(connection, sql, nil, nil, &errorMessage)
        statementBudget?.statementEnded()
        guard code == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(errorMessage)
            throw SQLiteError(code: code, message: message, sql: sql, budget: statementBudget)
        }
    }

    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(sql: sql, connection: connection, budget: statementBudget)
    }

    /// Runs `body` inside BEGIN IMMEDIATE … COMMIT, rolling back when it throws.
    public func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The single value of a one-row, one-column query (nil when it returns no row or NULL).
    public func scalarText(_ sql: String) throws(SQLiteError) -> String? {
        let statement = try prepare(sql)
        return try statement.step() ? statement.optionalText(at: 0) : nil
    }

    /// True when `table` in `schema` has a column of this name.
    public func hasColumn(_ column: String, in table: String, schema: String = "main") throws(SQLiteError) -> Bool {
        let statement = try prepare("SELECT 1 FROM pragma_table_info(?1, ?2) WHERE name = ?3")
        try statement.bind(table, at: 1)
        try statement.bind(schema, at: 2)
        try statement.bind(column, at: 3)
        return try statement.step()
    }

    /// True when the schema has a table or view of this name.
    public func hasTable(_ name: String, schema: String = "main") throws(SQLiteError) -> Bool {
        let statement = try prepare("SELECT 1 FROM \(schema).sqlite_schema WHERE type IN ('table', 'view') AND name = ?")
        try statement.bind(name, at: 1)
        return try statement.step()
    }
}
