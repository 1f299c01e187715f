import CSQLite
import Glibc
import Synchronization

/// A registry database held whole in memory (SQLite's memdb, shared by name within the process),
/// for stores to open read-only. A server serves images, not files: whatever later happens to the
/// file one came from (replaced, overwritten in place, truncated, deleted), the registry it
/// holds answers as it was, whole. IANA's registry takes about 2.5 MB.
/// (Unchecked Sendable: `owner`, its one connection, is used by one thread at a time: the one
/// building the image, then the one loading the next registry from it; stores read the image
/// through connections of their own.)
public final class RegistryImage: @unchecked Sendable {
    /// Unique within the process; the memdb lives while `owner` is open.
    let name: String
    /// The connection that made the image; written to only while it is being built.
    let owner: Database

    private static let lastNumber = Atomic(0)

    /// An empty image, to build a registry in. `budget` holds what is done on it while it is
    /// built (a load's), until `endBudget()`.
    init(budget: StatementBudget? = nil) throws(SQLiteError) {
        name = "/portinfo-\(getpid())-\(Self.lastNumber.add(1, ordering: .relaxed).newValue)"
        owner = try Database(memoryNamed: name, mode: .readWriteCreate, budget: budget)
    }

    /// The registry database in the file at `path`, copied into memory whole, once it has shown
    /// itself to be one: a regular file (opened without blocking) of at most `maximumBytes`,
    /// whose schema is exactly what a seed of this binary makes (`RegistrySchema`); triggers,
    /// views and untrusted schema functions never run on it. Read under SQLite's shared lock, so
    /// a database written in place meanwhile is copied as one consistent state or not at all
    /// (`RegistryError.databaseBusy`). `version` is the schema version the file must have; nil
    /// takes any this binary knows (what a re-seed compares with).
    static func load(from path: String, maximumBytes: Int, version: Int? = Migration.latestVersion,
                     budget: StatementBudget?) throws -> (image: RegistryImage, version: Int) {
        let copy = try readDatabase(at: path, maximumBytes: maximumBytes, budget: budget)
        let found: Int
        do {
            found = try RegistrySchema.check(copy, path: path)
        } catch let error as SQLiteError {
            throw RegistryError.notARegistry(path: path, reason: error.message)
        }
        if let version, found < version {
            throw MigrationError.olderThanBinary(path: path, databaseVersion: found, binaryVersion: version)
        }
        let image = try RegistryImage(budget: budget)
        do {
            try Self.copy(from: copy, to: image.owner)
        } catch {
            throw RegistryError.notARegistry(path: path, reason: error.message)
        }
        return (image, found)
    }

    /// The file's bytes as a private in-memory database, read-only.
    private static func readDatabase(at path: String, maximumBytes: Int, budget: StatementBudget?) throws -> Database {
        let file: RegularFile
        do {
            file = try RegularFile(opening: path)
        } catch {
            throw error.problem == .missing ? RegistryError.missingDatabase(path: path) : RegistryError.unreadableDatabase(error)
        }
        guard file.size <= maximumBytes else {
            throw RegistryError.unreadableDatabase(FileAccessError(path: path, problem: .tooLarge(limit: maximumBytes)))
        }
        // The smallest database SQLite writes is one page of 512 bytes.
        guard file.size >= 512 else {
            throw RegistryError.notARegistry(path: path, reason: file.size == 0 ? "the file is empty" : "the file is too short to be a database")
        }
        _ = Database.configured
        guard let bytes = sqlite3_malloc64(UInt64(file.size)) else {
            throw RegistryError.notARegistry(path: path, reason: "no memory for \(ByteCount(file.size))")
        }
        let read: Int
        do {
            guard SQLiteFileLock.shared(file.descriptor) else {
                sqlite3_free(bytes)
                throw RegistryError.databaseBusy(path: path)
            }
            defer { SQLiteFileLock.release(file.descriptor) }
            read = try file.read(into: UnsafeMutableRawBufferPointer(start: bytes, count: file.size))
        } catch let error as FileAccessError {
            sqlite3_free(bytes)
            throw RegistryError.unreadableDatabase(error)
        }
        guard read == file.size else {
            sqlite3_free(bytes)
            throw RegistryError.notARegistry(path: path, reason: "the file was cut short while it was read")
        }
        do {
            return try Database(deserializing: bytes, count: read, name: path, budget: budget)
        } catch {
            throw RegistryError.notARegistry(path: path, reason: error.message)
        }
    }

    /// Lets go of the budget the image was built under: what follows is no part of that work.
    func endBudget() {
        owner.statementBudget = nil
    }

    /// A read-only connection to the image, for a store.
    func connect(budget: StatementBudget?) throws(SQLiteError) -> Database {
        try Database(memoryNamed: name, mode: .readOnly, budget: budget)
    }

    /// Writes the image to a new database file at `path` (the seed's temporary file).
    func write(to path: String) throws(SQLiteError) {
        let file = try Database(path: path, mode: .readWriteCreate)
        try Self.copy(from: owner, to: file)
    }

    /// Copies the main database of `source` over that of `target`, page by page (SQLite's backup).
    private static func copy(from source: Database, to target: Database) throws(SQLiteError) {
        guard let backup = sqlite3_backup_init(target.connection, "main", source.connection, "main") else {
            throw SQLiteError(code: SQLITE_ERROR, connection: target.connection)
        }
        let stepped = sqlite3_backup_step(backup, -1)
        let finished = sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE, finished == SQLITE_OK else {
            throw SQLiteError(code: finished == SQLITE_OK ? stepped : finished, connection: target.connection)
        }
    }
}

extension RegistryImage {
    /// Puts `sitePorts` in place of the site records the image holds (none: removes them), as
    /// `serve --site-ports` serves a database with the site file it is given: the metadata and
    /// the search index follow. Returns the site records that claim a port IANA assigns to
    /// another service. Call it before any store opens the image.
    public func replaceSitePorts(with sitePorts: SitePortsFile?) throws -> SiteClashes {
        let database = owner
        let lines = try database.transaction { () throws -> [Int: Int] in
            try database.execute("""
                DELETE FROM record_references WHERE record_id IN (SELECT id FROM records WHERE source = 'site');
                DELETE FROM records WHERE source = 'site'
                """)
            var id = Int(try database.scalarText("SELECT max(id) FROM records") ?? "0") ?? 0
            var lines: [Int: Int] = [:]
            let insert = try RecordInsertion(database)
            for row in sitePorts?.rows ?? [] {
                id += 1
                lines[id] = row.line
                try insert.add(Record(row, source: .site), row: row, id: id)
            }
            try database.execute("INSERT INTO records_fts (records_fts) VALUES ('rebuild')")
            let update = try database.prepare("""
                UPDATE registry_metadata SET site_source = ?1, site_sha256 = ?2, site_record_count = ?3,
                    record_count = (SELECT count(*) FROM records)
                """)
            try update.bind(sitePorts?.name, at: 1)
            try update.bind(sitePorts?.sha256, at: 2)
            try update.bind(sitePorts?.rows.count ?? 0, at: 3)
            try update.run()
            return lines
        }
        return try SiteClashes.find(in: database, lines: lines)
    }
}

extension RegistryImage {
    /// Another image holding the same registry, to change without touching this one; `budget`
    /// holds what is done on it while it is built (`RegistryLoad.copy(of:)`).
    func copy(budget: StatementBudget? = nil) throws -> RegistryImage {
        let copy = try RegistryImage(budget: budget)
        try Self.copy(from: owner, to: copy.owner)
        return copy
    }
}
