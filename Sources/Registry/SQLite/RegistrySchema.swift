import Basics
import Synchronization

/// The tables, indexes and virtual tables a registry database of each schema version holds,
/// exactly as this binary's migrations create them. A database file is held to them, name by
/// name and SQL by SQL, before anything in it is read: a file swapped in under a server can add
/// nothing that runs (a trigger, a view) or that it would carry for nothing (a table of junk).
enum RegistrySchema {
    /// One row of `sqlite_schema`, without its root page.
    struct Object: Equatable, Sendable {
        let type: String
        let name: String
        let table: String
        let sql: String?
    }

    /// The schema version of `database`, once its objects are exactly those of that version;
    /// else a RegistryError naming `path` and the first difference. A version newer than this
    /// binary's is a MigrationError.
    static func check(_ database: Database, path: String) throws -> Int {
        let version = Int(try database.scalarText("PRAGMA user_version") ?? "0") ?? 0
        guard version > 0 else {
            throw RegistryError.notARegistry(path: path, reason: "it holds no portinfo tables")
        }
        guard version <= Migration.latestVersion else {
            throw MigrationError.newerThanBinary(path: path, databaseVersion: version, binaryVersion: Migration.latestVersion)
        }
        if let difference = difference(between: try objects(of: database), and: try expected(version: version)) {
            throw RegistryError.unexpectedSchema(path: path, difference: difference)
        }
        // The version the header gives must be the one the migrations recorded.
        guard try Migrator.appliedVersion(of: database) == version else {
            throw RegistryError.notARegistry(path: path, reason: "its schema version \(version) is not the one its migrations record")
        }
        return version
    }

    /// What a file of version `version` must hold: made once per version, by migrating an empty
    /// database in memory (a few milliseconds).
    static func expected(version: Int) throws -> [Object] {
        if let known = made.withLock({ $0[version] }) { return known }
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try Migrator(migrations: Array(Migration.all.prefix { $0.version <= version })).migrate(database)
        let objects = try objects(of: database)
        made.withLock { $0[version] = objects }
        return objects
    }

    private static let made = Mutex<[Int: [Object]]>([:])

    private static func objects(of database: Database) throws -> [Object] {
        try database.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name, type").rows {
            Object(type: $0.text(at: 0), name: $0.text(at: 1), table: $0.text(at: 2), sql: $0.optionalText(at: 3))
        }
    }

    /// The first way `found` differs from `expected`, as the rest of a sentence starting "it…"
    /// ("has trigger 't', which portinfo's seed does not make"); nil when they are the same. Names
    /// from the file are quoted short and escaped.
    static func difference(between found: [Object], and expected: [Object]) -> String? {
        let wanted = Dictionary(expected.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let names = Set(found.map(\.name))
        for object in found {
            guard let match = wanted[object.name] else {
                return "has \(PrintableText.excerpt(object.type)) '\(PrintableText.excerpt(object.name))', which portinfo's seed does not make"
            }
            if match != object {
                return "has \(PrintableText.excerpt(object.type)) '\(match.name)' unlike the one portinfo's seed makes"
            }
        }
        if let missing = expected.first(where: { !names.contains($0.name) }) {
            return "lacks \(missing.type) '\(missing.name)', which portinfo's seed makes"
        }
        return nil
    }
}
