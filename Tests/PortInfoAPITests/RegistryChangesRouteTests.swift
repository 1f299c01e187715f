import Foundation
import HTTPServer
import PortInfoAPI
import Registry
import Testing
import TestSupport

@Suite struct RegistryChangesRouteTests {
    /// A registry seeded over the traps one: ipcserver's two records changed, argus removed, newsvc added.
    func reseededAPI() throws -> (PortInfoAPI, TemporaryDirectory) {
        let folder = TemporaryDirectory()
        try seededDatabase(trapsCSV, in: folder)
        let edited = trapsCSV
            .replacingOccurrences(of: "Sun IPC server,[Bill_Schiefelbein]", with: "Sun IPC server,[Someone_Else]")
            .replacingOccurrences(of: "argus,,,ARGUS Protocol,[Robert_Hinden],[Robert_Hinden],,,,,,\n", with: "")
            + "newsvc,7000,tcp,New service,,,2026-01,,,,,\n"
        let database = try seededDatabase(edited, in: folder)
        return (try PortInfoAPI(configuration: APIConfiguration(databasePath: database)), folder)
    }

    @Test func aReseedsChangesAreListedAddedRemovedThenChanged() throws {
        let (api, _) = try reseededAPI()
        let response = api.get("/registry/changes")
        #expect(response.status == 200)
        #expect(response.headers["Cache-Control"] == "public, max-age=3600" && response.headers["ETag"] != nil)
        let body = try #require(response.object)
        #expect(body["added"] as? Int == 1 && body["removed"] as? Int == 1 && body["changed"] as? Int == 2)
        #expect((body["since"] as? [String: Any])?["sha256"] as? String == sha256Hex(trapsCSV))
        #expect(body["limit"] as? Int == 100 && body["offset"] as? Int == 0)
        let changes = try #require(body["changes"] as? [[String: Any]])
        #expect(changes.map { $0["change"] as? String } == ["added", "removed", "changed", "changed"])
        #expect(changes.map { $0["service"] as? String } == ["newsvc", "argus", "ipcserver", "ipcserver"])
        #expect(changes[0]["ports"] as? String == "7000" && changes[0]["transport"] as? String == "tcp")
        #expect(changes[2]["fields"] as? [String] == ["assignee"])
        #expect(changes[0]["fields"] as? [String] == [])
    }

    @Test func pagesTakeLimitAndOffsetWithinTheirBounds() throws {
        let (api, _) = try reseededAPI()
        let page = try #require(api.get("/registry/changes?limit=2&offset=1").object)
        #expect((page["changes"] as? [[String: Any]])?.map { $0["service"] as? String } == ["argus", "ipcserver"])
        #expect(page["added"] as? Int == 1, "the counts are of every change, whatever the page")
        for bad in ["limit=0", "limit=1001", "offset=-1", "limit=x"] {
            let refused = api.get("/registry/changes?\(bad)")
            #expect(refused.status == 400 && refused.problemType == "https://portinfo.invalid/problems/invalid-parameter", "\(bad)")
        }
        #expect(api.get("/registry/changes?limit=1000").status == 200)
    }

    @Test func aFirstSeedHasNoChanges() throws {
        let (api, _) = try trapsAPI()
        #expect(api.get("/registry/changes").text == #"{"since":null,"added":0,"removed":0,"changed":0,"limit":100,"offset":0,"changes":[]}"# + "\n")
    }
}
