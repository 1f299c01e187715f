/// One schema migration: `migrations/NNNN_name.sql`, embedded in the binary at build time.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let fileName: String
    public let sql: String

    /// The migrations this binary carries, in the order they apply.
    public static let all: [Migration] = embeddedMigrationFiles.map { file in
        // FileEmbedder (the EmbedFiles plugin's `numbered` check) fails the build unless names run 0001_, 0002_, … without a gap.
        Migration(version: Int(file.name.prefix(4))!, fileName: file.name, sql: file.text)
    }

    public static var latestVersion: Int { all.last?.version ?? 0 }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case newerThanBinary(path: String, databaseVersion: Int, binaryVersion: Int)
    case olderThanBinary(path: String, databaseVersion: Int, binaryVersion: Int)

    public var description: String {
        switch self {
        case let .newerThanBinary(path, databaseVersion, binaryVersion):
            "\(path) has schema version \(databaseVersion), newer than this portinfo knows (\(binaryVersion)): "
                + "use a newer portinfo, or seed a new database"
        case let .olderThanBinary(path, databaseVersion, binaryVersion):
            "\(path) has schema version \(databaseVersion), older than this portinfo needs (\(binaryVersion)): "
                + "re-seed it with `portinfo seed`"
        }
    }
}

/// Applies migrations in order, each once, each in its own transaction, recording each in
/// `schema_migrations` (and mirroring the latest version into `PRAGMA user_version`).
public struct Migrator {
    public let migrations: [Migration]

    public init(migrations: [Migration] = Migration.all) {
        self.migrations = migrations
    }

    private var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The highest migration version recorded in the database (0 for a new one).
    public static func appliedVersion(of database: Database) throws -> Int {
        guard try database.hasTable("schema_migrations") else { return 0 }
        return Int(try database.scalarText("SELECT max(version) FROM schema_migrations") ?? "0") ?? 0
    }

    /// Brings the database up to the latest migration; returns the versions it applied.
    @discardableResult
    public func migrate(_ database: Database) throws -> [Int] {
        try database.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """)
        let current = try Self.appliedVersion(of: database)
        guard current <= latestVersion else {
            throw MigrationError.newerThanBinary(path: database.path, databaseVersion: current, binaryVersion: latestVersion)
        }
        let record = try database.prepare(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")
        var applied: [Int] = []
        for migration in migrations where migration.version > current {
            try database.transaction {
                try database.execute(migration.sql)
                try record.bind(migration.version, at: 1)
                try record.bind(migration.fileName, at: 2)
                try record.run()
                try database.execute("PRAGMA user_version = \(migration.version)")
            }
            applied.append(migration.version)
        }
        return applied
    }

    /// For a database opened read-only: its schema must be exactly the one this binary knows.
    public func requireCurrent(_ database: Database) throws {
        let current = try Self.appliedVersion(of: database)
        if current > latestVersion {
            throw MigrationError.newerThanBinary(path: database.path, databaseVersion: current, binaryVersion: latestVersion)
        }
        if current < latestVersion {
            throw MigrationError.olderThanBinary(path: database.path, databaseVersion: current, binaryVersion: latestVersion)
        }
    }
}
