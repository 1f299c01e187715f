import CSQLite
import Glibc
import Synchronization

/// A registry database held whole in memory (SQLite's memdb, shared by name within the process),
/// for stores to open read-only. A server serves images, not files: whatever later happens to the
/// file one came from (replaced, overwritten in place, truncated, deleted), the registry it
/// holds answers as it was, whole. IANA's registry takes about 2.5 MB.
public final class RegistryImage: @unchecked Sendable {
    /// Unique within the process; the memdb lives while `owner` is open.
    let name: String
    /// The connection that made the image; written to only while it is being built.
    let owner: Database

    private static let lastNumber = Atomic(0)

    /// An empty image, to build a registry in.
    init() throws(SQLiteError) {
        name = "/portinfo-\(getpid())-\(Self.lastNumber.add(1, ordering: .relaxed).newValue)"
        owner = try Database(memoryNamed: name, mode: .readWriteCreate)
    }

    /// The registry database in the file at `path`, copied into memory whole (SQLite's backup,
    /// so a file being written meanwhile is copied as one consistent state or not at all).
    public static func load(from path: String) throws -> RegistryImage {
        guard access(path, F_OK) == 0 else { throw RegistryError.missingDatabase(path: path) }
        let file: Database
        do {
            file = try Database(path: path, mode: .readOnly)
        } catch {
            throw RegistryError.notARegistry(path: path, reason: error.message)
        }
        let image = try RegistryImage()
        do {
            try copy(from: file, to: image.owner)
        } catch {
            throw RegistryError.notARegistry(path: path, reason: error.message)
        }
        return image
    }

    /// A read-only connection to the image, for a store.
    func connect(statementBudget: Duration?) throws(SQLiteError) -> Database {
        try Database(memoryNamed: name, mode: .readOnly, statementBudget: statementBudget)
    }

    /// Writes the image to a new database file at `path`.
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

    /// A URI naming the database file at `path` on the disk (whatever the connection's own VFS),
    /// for ATTACH: the characters a URI gives meaning to, escaped.
    static func fileURI(_ path: String, readOnly: Bool) -> String {
        var escaped = ""
        for scalar in path.unicodeScalars {
            if "%?#".unicodeScalars.contains(scalar) { escaped += "%" + String(scalar.value, radix: 16, uppercase: true) } else { escaped.unicodeScalars.append(scalar) }
        }
        return "file:\(escaped)?vfs=unix\(readOnly ? "&mode=ro" : "")"
    }
}

extension RegistryImage {
    /// Puts `sitePorts` in place of the site records the image holds (none: removes them), as
    /// `serve --site-ports` serves a database with the site file it is given: the metadata and
    /// the search index follow. Returns the site records that claim a port IANA assigns to
    /// another service. Call it before any store opens the image.
    public func replaceSitePorts(with sitePorts: SitePortsFile?) throws -> [SiteClash] {
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
        return try SiteClash.find(in: database, lines: lines)
    }
}

extension RegistryImage {
    /// Another image holding the same registry, to change without touching this one.
    public func copy() throws -> RegistryImage {
        let copy = try RegistryImage()
        try Self.copy(from: owner, to: copy.owner)
        return copy
    }
}
