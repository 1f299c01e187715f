import Glibc

/// What a re-seed changed, record by record. Records are matched by service name, port number
/// and transport (and by order among rows that share all three).
public struct RegistryChanges: Equatable, Sendable {
    public let added: Int
    public let removed: Int
    public let changed: Int
}

/// What a completed seed did.
public struct SeedReport: Sendable {
    public let path: String
    public let metadata: RegistryMetadata
    public let duration: Duration
    /// nil when there was no previous database to compare with.
    public let changes: RegistryChanges?
    /// False when the seed found the target already seeded from the same CSV and left it alone.
    public let replaced: Bool

    /// The one-line summary `portinfo seed` ends with.
    public var summary: String {
        guard replaced else {
            return "\(path) is up to date: already seeded from this CSV (sha256 \(metadata.csvSHA256)), \(metadata.recordCount) records"
        }
        let seconds = Double(duration.components.attoseconds) / 1e18 + Double(duration.components.seconds)
        var line = "seeded \(path): \(metadata.recordCount) records, CSV sha256 \(metadata.csvSHA256), "
            + "newest IANA date \(metadata.newestIANADate ?? "none"), in \(Int((seconds * 1000).rounded())) ms"
        if let changes {
            line += "; since the previous database: \(changes.added) added, \(changes.removed) removed, \(changes.changed) changed"
        }
        return line
    }
}

/// Builds a registry database from IANA's CSV. The new database is written to a temporary file
/// beside the target and renamed over it only once it is complete and verified, so a failed or
/// killed seed leaves the previous database as it was. Temporary files left by a killed seed are
/// removed by the next seed of the same target.
public struct Seeder {
    public let targetPath: String

    public init(targetPath: String) {
        self.targetPath = targetPath
    }

    /// The temporary file a seed running as process `pid` writes: hidden, beside the target.
    public static func temporaryPath(forTarget target: String, pid: Int32) -> String {
        let (directory, name) = split(target)
        return "\(directory)/.\(name).seed-\(pid)"
    }

    /// Reads the CSV from `input` (`source` names it: a path, or "-") and replaces the target;
    /// with `onlyIfChanged`, only when the target was not seeded from a CSV of the same SHA-256.
    public func seed(from input: some ByteStream, source: String, onlyIfChanged: Bool = false) throws -> SeedReport {
        let started = ContinuousClock.now
        try checkReplaceable()
        removeStaleTemporaryFiles()
        let temporary = Self.temporaryPath(forTarget: targetPath, pid: getpid())
        unlink(temporary)
        defer { unlink(temporary) }

        let metadata: RegistryMetadata
        let changes: RegistryChanges?
        do {
            let database = try Database(path: temporary, mode: .readWriteCreate)
            // The file is private until renamed into place: no journal, no syncs until the end.
            try database.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536")
            try Migrator().migrate(database)
            metadata = try database.transaction {
                try Self.importCSV(input, source: source, into: database)
            }
            if onlyIfChanged, let current = try? RegistryStore(path: targetPath).metadata(), current.csvSHA256 == metadata.csvSHA256 {
                return SeedReport(path: targetPath, metadata: current, duration: ContinuousClock.now - started, changes: nil, replaced: false)
            }
            try Self.verify(database, expectedRecords: metadata.recordCount)
            changes = access(targetPath, F_OK) == 0 ? try Self.changes(in: database, since: targetPath) : nil
        }
        try Self.syncToDisk(temporary)
        guard rename(temporary, targetPath) == 0 else {
            throw RegistryError.seedFailed(path: targetPath, reason: "cannot rename the new database into place: \(String(cString: strerror(errno)))")
        }
        Self.syncToDisk(directoryOf: targetPath)
        return SeedReport(path: targetPath, metadata: metadata, duration: ContinuousClock.now - started, changes: changes,
                          replaced: true)
    }

    /// An existing target is replaced only when it is a portinfo registry this binary understands.
    private func checkReplaceable() throws {
        guard access(targetPath, F_OK) == 0 else { return }
        let existing: Database
        do {
            existing = try Database(path: targetPath, mode: .readOnly)
            guard try existing.hasTable("schema_migrations"), try existing.hasTable("records") else {
                throw RegistryError.notARegistry(path: targetPath, reason: "no portinfo tables; refusing to replace it")
            }
        } catch let error as SQLiteError {
            throw RegistryError.notARegistry(path: targetPath, reason: "\(error.message); refusing to replace it")
        }
        let version = try Migrator.appliedVersion(of: existing)
        if version > Migration.latestVersion {
            throw MigrationError.newerThanBinary(path: targetPath, databaseVersion: version, binaryVersion: Migration.latestVersion)
        }
    }

    private static func importCSV(_ input: some ByteStream, source: String, into database: Database) throws -> RegistryMetadata {
        var reader = CSVReader(DigestingStream(input))
        func nextRecord() throws -> CSVRecord? {
            do { return try reader.next() } catch let error as CSVError {
                throw RegistryError.invalidCSV(source: source, error: error)
            }
        }
        guard let header = try nextRecord() else { throw RegistryError.emptyCSV(source: source) }
        do throws(CSVError) { try IANARow.checkHeader(header) } catch { throw RegistryError.invalidCSV(source: source, error: error) }

        let insertRecord = try database.prepare("""
            INSERT INTO records (id, service_name, port_number, transport_protocol, description, assignee, contact,
                registration_date, modification_date, reference, service_code, unauthorized_use_reported,
                assignment_notes, service_folded, transport, port_first, port_last, status)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
            """)
        let insertReference = try database.prepare(
            "INSERT INTO record_references (record_id, position, reference) VALUES (?, ?, ?)")
        var count = 0
        while let csvRecord = try nextRecord() {
            let row: IANARow
            do throws(CSVError) { row = try IANARow(csvRecord) } catch { throw RegistryError.invalidCSV(source: source, error: error) }
            count += 1
            try insertRecord.bind(count, at: 1)
            for (index, field) in row.fields.enumerated() {
                try insertRecord.bind(field, at: Int32(index + 2))
            }
            try insertRecord.bind(row.serviceName.nonEmpty?.lowercased(), at: 14)
            try insertRecord.bind(row.transport?.rawValue, at: 15)
            try insertRecord.bind(row.ports?.lowerBound, at: 16)
            try insertRecord.bind(row.ports?.upperBound, at: 17)
            try insertRecord.bind(Record.status(ofDescription: row.description).rawValue, at: 18)
            try insertRecord.run()
            for (position, reference) in Record.splitReferences(row.reference).enumerated() {
                try insertReference.bind(count, at: 1)
                try insertReference.bind(position + 1, at: 2)
                try insertReference.bind(reference, at: 3)
                try insertReference.run()
            }
        }
        try database.execute("INSERT INTO records_fts (records_fts) VALUES ('rebuild')")
        let insertMetadata = try database.prepare("""
            INSERT INTO registry_metadata (id, source, csv_sha256, imported_at, record_count, newest_iana_date)
            SELECT 1, ?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?3,
                   nullif(max(max(registration_date), max(modification_date)), '')
            FROM records
            RETURNING source, csv_sha256, imported_at, record_count, newest_iana_date
            """)
        try insertMetadata.bind(source, at: 1)
        try insertMetadata.bind(reader.input.digest.finalize(), at: 2)
        try insertMetadata.bind(count, at: 3)
        return try insertMetadata.rows {
            RegistryMetadata(source: $0.text(at: 0), csvSHA256: $0.text(at: 1), importedAt: $0.text(at: 2),
                             recordCount: $0.int(at: 3), newestIANADate: $0.optionalText(at: 4))
        }[0]
    }

    /// The new database must hold every record it was given, and a search index that matches them.
    private static func verify(_ database: Database, expectedRecords: Int) throws {
        try database.execute("INSERT INTO records_fts (records_fts) VALUES ('integrity-check')")
        let stored = try database.scalarText("SELECT count(*) FROM records")
        guard stored == String(expectedRecords) else {
            throw RegistryError.seedFailed(path: database.path, reason: "the new database holds \(stored ?? "no") records, expected \(expectedRecords)")
        }
    }

    /// Compares the new database's records with those of the database at `previousPath`.
    private static func changes(in database: Database, since previousPath: String) throws -> RegistryChanges {
        let attach = try database.prepare("ATTACH DATABASE ? AS previous")
        try attach.bind(previousPath, at: 1)
        try attach.run()
        defer { try? database.execute("DETACH DATABASE previous") }
        let keyed = { (schema: String) in """
            SELECT service_name, port_number, transport_protocol,
                   row_number() OVER (PARTITION BY service_name, port_number, transport_protocol ORDER BY id) AS nth,
                   description, assignee, contact, registration_date, modification_date, reference, service_code,
                   unauthorized_use_reported, assignment_notes
            FROM \(schema).records
            """ }
        let keys = "service_name, port_number, transport_protocol, nth"
        let statement = try database.prepare("""
            WITH new AS (\(keyed("main"))), old AS (\(keyed("previous")))
            SELECT (SELECT count(*) FROM (SELECT \(keys) FROM new EXCEPT SELECT \(keys) FROM old)),
                   (SELECT count(*) FROM (SELECT \(keys) FROM old EXCEPT SELECT \(keys) FROM new)),
                   (SELECT count(*) FROM (SELECT * FROM new EXCEPT SELECT * FROM old))
            """)
        return try statement.rows {
            let added = $0.int(at: 0)
            return RegistryChanges(added: added, removed: $0.int(at: 1), changed: $0.int(at: 2) - added)
        }[0]
    }

    /// Removes temporary files that seeds of this target left when they were killed.
    private func removeStaleTemporaryFiles() {
        let (directory, name) = Self.split(targetPath)
        guard let listing = opendir(directory) else { return }
        defer { closedir(listing) }
        let prefix = ".\(name).seed-"
        while let entry = readdir(listing) {
            let fileName = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard fileName.hasPrefix(prefix), let pid = Int32(fileName.dropFirst(prefix.count)) else { continue }
            // A live process of that pid may be another seed at work: leave its file alone.
            if kill(pid, 0) != 0, errno == ESRCH { unlink("\(directory)/\(fileName)") }
        }
    }

    private static func syncToDisk(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            throw RegistryError.seedFailed(path: path, reason: "cannot flush the new database to disk: \(reason)")
        }
        close(descriptor)
    }

    /// Makes the rename durable; a directory that cannot be synced is no reason to fail the seed.
    private static func syncToDisk(directoryOf path: String) {
        let descriptor = open(split(path).directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
