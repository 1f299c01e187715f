import Foundation
import Registry
import Testing
import TestSupport

/// A folder with `registry.db` seeded from the traps fixture by the real binary.
func seededFolder() throws -> TemporaryDirectory {
    let folder = TemporaryDirectory()
    let csv = folder.write("traps.csv", trapsCSV)
    let seeded = try run(["seed", "--csv", csv, "--db", folder.path("registry.db")])
    #expect(seeded.status == 0, "\(seeded.error)")
    return folder
}

@Suite struct CLITests {
    @Test func lookupPrintsATable() throws {
        let folder = try seededFolder()
        let result = try run(["lookup", "600", "--db", folder.path("registry.db")])
        #expect(result.status == 0)
        #expect(result.output == """
            port 600 (system range): assigned
            SERVICE    PORT  TRANSPORT  STATUS    SOURCE  DESCRIPTION
            ipcserver  600   tcp        assigned  iana    Sun IPC server
            ipcserver  600   udp        assigned  iana    Sun IPC server

            """)
    }

    @Test func lookupJSONIsTheAPIsShape() throws {
        let folder = try seededFolder()
        let result = try run(["lookup", "6001", "--json", "--db", folder.path("registry.db")])
        let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: Any]
        #expect(json["port"] as? Int == 6001)
        #expect(json["range"] as? String == "user")
        #expect(json["status"] as? String == "assigned")
        let records = json["records"] as! [[String: Any]]
        #expect(records.map { $0["service"] as? String } == ["x11"])
        #expect(records[0]["ports"] as? [String: Int] == ["first": 6000, "last": 6063])
        #expect(records[0]["notes"] is NSNull)
    }

    @Test func serviceAndSearchFindByNameAndText() throws {
        let folder = try seededFolder()
        let db = folder.path("registry.db")
        let service = try run(["service", "WHOIS++", "--json", "--db", db])
        let json = try JSONSerialization.jsonObject(with: Data(service.output.utf8)) as! [String: Any]
        #expect((json["records"] as! [[String: Any]]).map { $0["service"] as? String } == ["whois++"])
        let search = try run(["search", "sun", "--limit", "1", "--db", db])
        #expect(search.output.hasPrefix("2 records match 'sun'; 1 to 1:\n"))
        let missing = try run(["service", "nosuch", "--db", db])
        #expect(missing.status != 0 && missing.error == "portinfo: no service named 'nosuch' in the registry\n")
    }

    @Test(arguments: [
        (["lookup", "70000"], "portinfo: port must be an integer from 0 to 65535, got '70000'\n"),
        (["lookup", "abc"], "portinfo: port must be an integer from 0 to 65535, got 'abc'\n"),
        (["lookup", "1e3"], "portinfo: port must be an integer from 0 to 65535, got '1e3'\n"),
        (["search", "sql", "--limit", "0"], "portinfo: --limit must be from 1 to 100, got 0\n"),
        (["lookup", "80", "--transport", "quic"], nil),
    ])
    func badArgumentsGiveOneLineAndANonZeroExit(arguments: [String], message: String?) throws {
        let folder = try seededFolder()
        let result = try run(arguments + ["--db", folder.path("registry.db")])
        #expect(result.status == 64)
        #expect(result.error.hasPrefix("portinfo: ") && result.error.filter { $0 == "\n" }.count == 1)
        if let message { #expect(result.error == message) }
        #expect(result.output.isEmpty)
    }

    @Test func aMissingDatabaseSaysHowToSeedOne() throws {
        let folder = TemporaryDirectory()
        let result = try run(["lookup", "600", "--db", folder.path("none.db")])
        #expect(result.status == 1)
        let path = folder.path("none.db")
        #expect(result.error == "portinfo: no registry database at \(path): `portinfo seed --db \(path)` seeds the snapshot built into portinfo, "
            + "`portinfo seed --csv FILE --db \(path)` IANA's latest (docs/operations.md: Taking IANA's latest)\n")
        #expect(folder.fileNames().isEmpty)
    }

    @Test func aSeedIntoAMissingDirectorySaysTheDirectoryIsMissing() throws {
        let folder = TemporaryDirectory()
        let result = try run(["seed", "--db", folder.path("missing/registry.db")])
        #expect(result.status == 1)
        #expect(result.error == "portinfo: seeding \(folder.path("missing/registry.db")) failed, the previous database is untouched: "
            + "the directory \(folder.path("missing")) does not exist: make it first\n")
    }

    @Test func theDatabaseComesFromPORTINFO_DBUnlessDbIsGiven() throws {
        let folder = try seededFolder()
        let fromEnvironment = try run(["lookup", "600"], environment: ["PORTINFO_DB": folder.path("registry.db")])
        #expect(fromEnvironment.status == 0 && fromEnvironment.output.contains("ipcserver"))
        let flagWins = try run(["lookup", "600", "--db", folder.path("none.db")], environment: ["PORTINFO_DB": folder.path("registry.db")])
        #expect(flagWins.status == 1)
    }

    @Test func seedReadsStandardInputAndReportsChanges() throws {
        let folder = try seededFolder()
        let grown = trapsCSV + "newsvc,7000,tcp,New service,,,2026-01,,,,,\n"
        let result = try run(["seed", "--csv", "-", "--db", folder.path("registry.db")], input: Data(grown.utf8))
        #expect(result.status == 0, "\(result.error)")
        let line = try #require(result.output.split(separator: "\n").first)
        #expect(result.output.filter { $0 == "\n" }.count == 1)
        #expect(line.hasPrefix("seeded \(folder.path("registry.db")): 14 records, CSV sha256 "))
        #expect(line.contains(", newest IANA date 2026-01, in "))
        #expect(line.hasSuffix(" ms; since the previous database: 1 added, 0 removed, 0 changed"))
    }

    @Test func aBadCSVNamesTheFileAndLine() throws {
        let folder = try seededFolder()
        let bad = folder.write("bad.csv", ianaHeader + "\nhttp,80,tcp,World Wide Web HTTP,,,,,,,\n")
        let result = try run(["seed", "--csv", bad, "--db", folder.path("registry.db")])
        #expect(result.status == 1)
        #expect(result.error == "portinfo: \(bad): line 2: expected 12 fields, found 11\n")
        let missing = try run(["seed", "--csv", folder.path("nope.csv"), "--db", folder.path("registry.db")])
        #expect(missing.error == "portinfo: \(folder.path("nope.csv")): No such file or directory\n")
    }
}
