import Foundation
@testable import Registry
import Testing
import TestSupport

@Suite struct MigrationsTests {
    @Test func theBinaryCarriesExactlyTheFilesInMigrations() throws {
        let folder = repositoryRoot.appendingPathComponent("migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(Migration.all.map(\.fileName) == files)
        for (migration, file) in zip(Migration.all, files) {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
            #expect(Data(migration.sql.utf8) == bytes, "\(file) differs from what the binary applies")
        }
        #expect(Migration.all.map(\.version) == Array(1...Migration.all.count))
    }

    @Test func eachMigrationAppliesOnceAndIsRecorded() throws {
        let folder = TemporaryDirectory()
        let database = try Database(path: folder.path("t.db"), mode: .readWriteCreate)
        #expect(try Migrator().migrate(database) == Array(1...Migration.latestVersion))
        #expect(try Migrator().migrate(database) == [])
        #expect(try Migrator.appliedVersion(of: database) == Migration.latestVersion)
        #expect(try database.scalarText("PRAGMA user_version") == String(Migration.latestVersion))
        let names = try database.prepare("SELECT name FROM schema_migrations ORDER BY version").rows { $0.text(at: 0) }
        #expect(names == Migration.all.map(\.fileName))
    }

    @Test func aFailingMigrationLeavesNoTraceOfItself() throws {
        let folder = TemporaryDirectory()
        let database = try Database(path: folder.path("t.db"), mode: .readWriteCreate)
        let broken = Migrator(migrations: [
            Migration.all[0],
            Migration(version: 2, fileName: "0002_broken.sql", sql: "CREATE TABLE half (x); SELECT nonsense FROM nowhere;"),
        ])
        #expect(throws: SQLiteError.self) { try broken.migrate(database) }
        #expect(try Migrator.appliedVersion(of: database) == 1)
        #expect(try !database.hasTable("half"))
    }

    @Test func aDatabaseNewerThanTheBinaryIsRefused() throws {
        let folder = TemporaryDirectory()
        let database = try Database(path: folder.path("t.db"), mode: .readWriteCreate)
        try Migrator().migrate(database)
        try database.execute("INSERT INTO schema_migrations VALUES (99, '0099_future.sql', '2030-01-01T00:00:00Z')")
        let expected = MigrationError.newerThanBinary(path: folder.path("t.db"), databaseVersion: 99, binaryVersion: Migration.latestVersion)
        #expect(throws: expected) { try Migrator().migrate(database) }
        #expect(throws: expected) { try Migrator().requireCurrent(database) }
        #expect("\(expected)".contains("newer than this portinfo knows"))
    }
}
