import Foundation
@testable import Registry
import Testing
import TestSupport

/// Seeds `csv` (CSV text) into `database` in `folder` and returns the report.
@discardableResult
func seed(_ csv: String, into database: String, in folder: TemporaryDirectory, force: Bool = false) throws -> SeedReport {
    let file = folder.write("input-\(UUID().uuidString).csv", csv)
    defer { try? FileManager.default.removeItem(atPath: file) }
    return try Seeder(targetPath: database).seed(.file(file), force: force)
}

@Suite struct SeederTests {
    @Test func seedsEveryRecordWithItsMetadata() throws {
        let folder = TemporaryDirectory()
        let report = try seed(trapsCSV, into: folder.path("r.db"), in: folder)
        #expect(report.metadata.recordCount == 13)
        #expect(report.metadata.csvSHA256 == sha256(Array(trapsCSV.utf8)))
        #expect(report.metadata.newestIANADate == "2024-12-20")
        #expect(report.changes == nil)
        #expect(report.summary.hasPrefix("seeded \(folder.path("r.db")): 13 records, CSV sha256 \(report.metadata.csvSHA256), newest IANA date 2024-12-20, in "))
        #expect(try RegistryStore(path: folder.path("r.db")).metadata() == report.metadata)
        #expect(folder.fileNames().filter { $0.hasSuffix(".db") || $0.contains("seed") } == ["r.db"])
    }

    @Test func reseedingReportsAddedRemovedAndChangedRecords() throws {
        let folder = TemporaryDirectory()
        let database = folder.path("r.db")
        try seed(trapsCSV, into: database, in: folder)
        let edited = trapsCSV
            .replacingOccurrences(of: "Sun IPC server,[Bill_Schiefelbein],[Bill_Schiefelbein],,,,,,\nipcserver,600,udp",
                                  with: "Sun IPC server (renamed),[Bill_Schiefelbein],[Bill_Schiefelbein],,,,,,\nipcserver,600,udp")
            .replacingOccurrences(of: "argus,,,ARGUS Protocol,[Robert_Hinden],[Robert_Hinden],,,,,,\n", with: "")
            + "newsvc,7000,tcp,New service,,,2026-01,,,,,\nnewsvc,7000,udp,New service,,,2026-01,,,,,\n"
        let report = try seed(edited, into: database, in: folder)
        #expect(report.changes == RegistryChanges(added: 2, removed: 1, changed: 1))
        #expect(report.summary.hasSuffix("; since the previous database: 2 added, 1 removed, 1 changed"))
        #expect(try RegistryStore(path: database).records(named: "newsvc").count == 2)
        let again = try seed(edited, into: database, in: folder)
        #expect(!again.replaced && again.changes == nil)
        #expect(again.summary == "\(database) is unchanged: already seeded from this CSV (sha256 \(report.metadata.csvSHA256)), 14 records")
        #expect(try seed(edited, into: database, in: folder, force: true).changes == RegistryChanges(added: 0, removed: 0, changed: 0))
    }

    /// The knowledge tables are the binary's, not the CSV's: a registry loaded with other ones (an
    /// older binary's) is seeded again from the same CSV, and then holds this binary's.
    @Test func aRegistryWithOtherKnowledgeTablesIsSeededAgain() throws {
        let folder = TemporaryDirectory()
        let database = folder.path("r.db")
        try seed(trapsCSV, into: database, in: folder)
        try Database(path: database, mode: .readWriteCreate).execute("UPDATE registry_metadata SET knowledge_sha256 = 'older'; DELETE FROM known_uses")
        #expect(try RegistryStore(path: database).knownUses(port: 6443).isEmpty)
        let again = try seed(trapsCSV, into: database, in: folder)
        #expect(again.replaced)
        #expect(again.metadata.knowledgeSHA256 == (try Knowledge.builtIn()).sha256)
        #expect(try RegistryStore(path: database).knownUses(port: 6443).map(\.product) == ["Kubernetes API server"])
        #expect(!(try seed(trapsCSV, into: database, in: folder)).replaced)
    }

    @Test(arguments: [
        ("a row with 11 fields", "x,1,tcp,,,,,,,,\n", "line 18: expected 12 fields, found 11"),
        ("a port out of range", "x,70000,tcp,,,,,,,,,\n", "line 18: Port Number '70000' is not N or N-M with ports from 0 to 65535"),
        ("an unterminated quote", "x,1,tcp,\"open,,,,,,,,\n", "line 18: a quoted field opened on line 18 is never closed"),
    ])
    func aBadCSVFailsWithItsLineAndLeavesThePreviousDatabase(what: String, badRow: String, message: String) throws {
        let folder = TemporaryDirectory()
        let database = folder.path("r.db")
        let before = try seed(trapsCSV, into: database, in: folder).metadata
        let bytesBefore = try Data(contentsOf: URL(fileURLWithPath: database))
        #expect {
            try seed(trapsCSV + badRow, into: database, in: folder)
        } throws: { error in
            "\(error)".hasSuffix(message)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == bytesBefore, "\(what) changed the database")
        #expect(try RegistryStore(path: database).metadata() == before)
        #expect(folder.fileNames() == ["r.db"])
    }

    @Test func aHeaderThatIsNotIANAsIsRefusedAndAnEmptyInputToo() throws {
        let folder = TemporaryDirectory()
        #expect { try seed("Name,Port\nhttp,80\n", into: folder.path("r.db"), in: folder) } throws: {
            "\($0)".contains("line 1: header column 1 is 'Name', expected 'Service Name'")
        }
        #expect { try seed("", into: folder.path("r.db"), in: folder) } throws: {
            "\($0)".hasSuffix("no CSV header: the input is empty")
        }
        #expect(folder.fileNames() == [])
    }

    @Test func neverReplacesAFileThatIsNotAPortinfoRegistry() throws {
        let folder = TemporaryDirectory()
        let notes = folder.write("notes.db", "my precious notes\n")
        #expect { try seed(trapsCSV, into: notes, in: folder) } throws: {
            "\($0)".contains("is not a portinfo registry database")
        }
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "my precious notes\n")
        let other = folder.path("other.db")
        try Database(path: other, mode: .readWriteCreate).execute("CREATE TABLE mine (x); INSERT INTO mine VALUES (1)")
        #expect { try seed(trapsCSV, into: other, in: folder) } throws: { "\($0)".contains("no portinfo tables") }
        #expect(try Database(path: other, mode: .readOnly).scalarText("SELECT count(*) FROM mine") == "1")
    }

    @Test func removesTemporaryFilesOfKilledSeedsButNotOfLiveOnes() throws {
        let folder = TemporaryDirectory()
        let database = folder.path("r.db")
        // No process has pid 2^22 + 1 (above the kernel's pid_max); pid 1 always lives.
        let dead = Seeder.temporaryPath(forTarget: database, pid: 4_194_305)
        let live = Seeder.temporaryPath(forTarget: database, pid: 1)
        folder.write((dead as NSString).lastPathComponent, "half a database")
        folder.write((live as NSString).lastPathComponent, "another seed at work")
        try seed(trapsCSV, into: database, in: folder)
        #expect(folder.fileNames() == [(live as NSString).lastPathComponent, "r.db"])
    }

    @Test(.enabled(if: Snapshot.previous != nil, Snapshot.previousMissing))
    func updatingTheSnapshotReportsTheRecordsThatChanged() throws {
        let folder = TemporaryDirectory()
        let database = folder.path("r.db")
        let old = try #require(Snapshot.previous), new = Snapshot.current
        _ = try Seeder(targetPath: database).seed(.file(old))
        let report = try Seeder(targetPath: database).seed(.file(new))
        #expect(report.changes == (try expectedChanges(from: old, to: new)))
        #expect(report.metadata.recordCount == 14_499)
    }
}

/// The changes between two CSVs, computed apart from SQL: rows keyed by name, port, transport
/// and their order among rows sharing those three.
func expectedChanges(from old: String, to new: String) throws -> RegistryChanges {
    func keyed(_ path: String) throws -> [String: [String]] {
        var reader = CSVReader(try InputFile(path: path))
        _ = try reader.next()
        var seen: [String: Int] = [:]
        var rows: [String: [String]] = [:]
        while let record = try reader.next() {
            let key = record.fields[0..<3].joined(separator: "\u{1}")
            seen[key, default: 0] += 1
            rows[key + "\u{1}\(seen[key]!)"] = Array(record.fields[3...])
        }
        return rows
    }
    let before = try keyed(old), after = try keyed(new)
    return RegistryChanges(
        added: after.keys.filter { before[$0] == nil }.count,
        removed: before.keys.filter { after[$0] == nil }.count,
        changed: after.filter { key, value in before[key].map { $0 != value } ?? false }.count)
}
