@testable import Registry
import Testing
import TestSupport

@Suite struct DatabaseTests {
    @Test func errorsCarrySQLitesMessageAndTheSQL() throws {
        let folder = TemporaryDirectory()
        let database = try Database(path: folder.path("t.db"), mode: .readWriteCreate)
        #expect {
            try database.prepare("SELECT * FROM missing_table")
        } throws: { error in
            let error = error as! SQLiteError
            return error.message == "no such table: missing_table" && error.sql == "SELECT * FROM missing_table"
                && "\(error)".contains("in: SELECT * FROM missing_table")
        }
    }

    @Test func bindsAndReadsTypedValuesEmptyTextIsNotNull() throws {
        let folder = TemporaryDirectory()
        let database = try Database(path: folder.path("t.db"), mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (i INTEGER, s TEXT, n TEXT)")
        let insert = try database.prepare("INSERT INTO t VALUES (?, ?, ?)")
        try insert.bind(Int.max, at: 1)
        try insert.bind("", at: 2)
        try insert.bind(nil as String?, at: 3)
        try insert.run()
        try insert.bind(-1, at: 1)
        try insert.bind("héllo\0world", at: 2)
        try insert.bind("x", at: 3)
        try insert.run()
        let rows = try database.prepare("SELECT i, s, n, s IS NULL FROM t ORDER BY rowid").rows {
            "\($0.int(at: 0))|\($0.text(at: 1))|\($0.optionalText(at: 2) ?? "nil")|\($0.int(at: 3))"
        }
        #expect(rows == ["\(Int.max)||nil|0", "-1|héllo\0world|x|0"])
    }

    @Test func aTransactionThatThrowsLeavesNothing() throws {
        struct Abandon: Error {}
        let folder = TemporaryDirectory()
        let database = try Database(path: folder.path("t.db"), mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (x)")
        #expect(throws: Abandon.self) {
            try database.transaction {
                try database.execute("INSERT INTO t VALUES (1)")
                throw Abandon()
            }
        }
        #expect(try database.scalarText("SELECT count(*) FROM t") == "0")
        try database.transaction { try database.execute("INSERT INTO t VALUES (1)") }
        #expect(try database.scalarText("SELECT count(*) FROM t") == "1")
    }

    @Test func readOnlyNeverWritesAndNeverCreates() throws {
        let folder = TemporaryDirectory()
        try Database(path: folder.path("t.db"), mode: .readWriteCreate).execute("CREATE TABLE t (x)")
        let readOnly = try Database(path: folder.path("t.db"), mode: .readOnly)
        #expect(throws: SQLiteError.self) { try readOnly.execute("INSERT INTO t VALUES (1)") }
        #expect(throws: SQLiteError.self) { try Database(path: folder.path("missing.db"), mode: .readOnly) }
        #expect(!folder.fileNames().contains("missing.db"))
    }
}
