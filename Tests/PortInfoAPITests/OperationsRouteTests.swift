import Foundation
import HTTPServer
import PortInfoAPI
import Registry
import Testing
import TestSupport

@Suite struct OperationsRouteTests {
    @Test func registryTellsWhereTheDataCameFromAndCreditsIANA() throws {
        let (api, folder) = try trapsAPI()
        let response = api.get("/registry")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        let metadata = try RegistryStore(path: folder.path("registry.db")).metadata()
        // The CSV's file name, not where it was read from.
        #expect(metadata.source.hasPrefix("input-") && metadata.source.hasSuffix(".csv"))
        #expect(response.text == #"{"source":"\#(metadata.source)","sha256":"\#(sha256Hex(trapsCSV))","#
            + #""imported_at":"\#(metadata.importedAt)","record_count":13,"newest_iana_date":"2024-12-20","site":null,"#
            + #""attribution":"Data: IANA Service Name and Transport Protocol Port Number Registry, "#
            + #"https://www.iana.org/assignments/service-names-port-numbers/ (public domain, CC0 1.0); portinfo is not endorsed by IANA."}"#
            + "\n")
        #expect(response.headers["ETag"] != nil)
        #expect(response.headers["Cache-Control"] == "public, max-age=3600")
    }

    @Test(arguments: Serving.allCases)
    func healthzSaysOkAndIsNeverCached(serving: Serving) throws {
        let (client, _) = try serving.trapsClient()
        let response = try client.get("/healthz")
        #expect(response.status == 200)
        #expect(response.body == #"{"status":"ok"}"# + "\n")
        #expect(response.header("Cache-Control") == "no-store")
        #expect(response.header("ETag") == nil)
        #expect(try client.get("/healthz", headers: [("If-None-Match", "*")]).status == 200)
    }

    @Test(arguments: ["truncated", "overwritten with text", "deleted"])
    func aDatabaseSpoiledUnderTheAPIIsNotTakenAndTheRegistryHeldIsServedWhole(how: String) throws {
        let (api, folder) = try trapsAPI()
        let path = folder.path("registry.db")
        let tag = api.get("/ports/600").headers["ETag"]
        switch how {
        case "truncated": #expect(truncate(path, 0) == 0)
        case "overwritten with text": folder.write("registry.db", String(repeating: "not a database at all\n", count: 500))
        default: #expect(unlink(path) == 0)
        }
        api.checkRegistry()
        for target in ["/ports/600", "/services/ftp", "/search?q=ftp", "/registry"] {
            #expect(api.get(target).status == 200, "\(target) after the database was \(how)")
        }
        #expect(api.get("/ports/600").headers["ETag"] == tag)
        let health = api.get("/healthz")
        #expect(health.status == 200)
        #expect(health.object?["status"] as? String == "degraded")
        let reason = try #require(health.object?["reason"] as? String)
        #expect(reason.hasPrefix(how == "deleted" ? "the database file was deleted" : "the database file is not a portinfo registry this server can serve"),
                "\(reason)")
        #expect(!reason.contains(folder.url.path))
        #expect(reason.hasSuffix("serving the registry loaded before, seeded \(api.servedRegistry.importedAt)"))
        #expect(health.headers["Cache-Control"] == "no-store")

        // A sound registry put back is taken, and health is ok again.
        unlink(path)
        try seededDatabase(trapsCSV + "newsvc,7000,tcp,New service,,,2026-01,,,,,\n", in: folder)
        api.checkRegistry()
        #expect(api.get("/ports/7000").records.count == 1)
        #expect(api.get("/healthz").text == #"{"status":"ok"}"# + "\n")
    }

    @Test func openAPIYamlIsTheRepositorysFileByteForByte() throws {
        let (api, _) = try trapsAPI()
        let response = api.get("/openapi.yaml")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/yaml")
        #expect(Data(response.body) == (try Data(contentsOf: repositoryRoot.appendingPathComponent("openapi.yaml"))))
    }

    @Test func theAPIRefusesToStartWithoutARegistryOrWithANegativeMaxAge() throws {
        let folder = TemporaryDirectory()
        let missing = folder.path("none.db")
        #expect(throws: RegistryError.missingDatabase(path: missing)) {
            try PortInfoAPI(configuration: APIConfiguration(databasePath: missing))
        }
        let text = folder.write("text.db", "not a database, just text that is long enough to be read as a header\n")
        #expect { try PortInfoAPI(configuration: APIConfiguration(databasePath: text)) } throws: {
            "\($0)".contains("is not a portinfo registry database")
        }
        let database = try seededDatabase(trapsCSV, in: folder)
        #expect(throws: PortInfoAPIError.negativeCacheMaxAge(-1)) {
            try PortInfoAPI(configuration: APIConfiguration(databasePath: database, cacheMaxAge: -1))
        }
        #expect("\(PortInfoAPIError.negativeCacheMaxAge(-1))" == "the cache max-age must be 0 or more seconds, got -1")
    }

    @Test func theMaxAgeIsConfigurable() throws {
        let (api, _) = try trapsAPI(cacheMaxAge: 60)
        #expect(api.configuration.cacheMaxAge == 60)
        for target in ["/ports/600", "/services/ftp", "/search?q=ftp", "/registry"] {
            #expect(api.get(target).headers["Cache-Control"] == "public, max-age=60", "\(target)")
        }
    }
}

/// The hex SHA-256 of `text`'s UTF-8.
func sha256Hex(_ text: String) -> String {
    var digest = SHA256()
    digest.update(Array(text.utf8))
    return digest.finalize()
}

@Suite struct DatabaseCheckTests {
    @Test func aDatabaseThatFailsQuickCheckAtStartFailsHealthzForGood() throws {
        let folder = TemporaryDirectory()
        let path = try seededDatabase(generatedCSV(records: 3_000), in: folder)
        // Garbage over a few leaf pages of the records table, which opening the registry never reads.
        let seeded = try Database(path: path, mode: .readOnly)
        let pageSize = Int(try seeded.scalarText("PRAGMA page_size") ?? "") ?? 0
        let pages = try seeded.prepare("SELECT pageno FROM dbstat WHERE name = 'records' AND pagetype = 'leaf' ORDER BY pageno")
            .rows { $0.int(at: 0) }
        try #require(pages.count > 10 && pageSize > 0)
        let file = try #require(FileHandle(forUpdatingAtPath: path))
        for page in pages[5..<8] {
            try file.seek(toOffset: UInt64((page - 1) * pageSize))
            try file.write(contentsOf: Data(repeating: 0xA5, count: pageSize))
        }
        try file.close()

        let api = try PortInfoAPI(configuration: APIConfiguration(databasePath: path))
        let health = api.get("/healthz")
        expectProblem(health, 503, "registry-unavailable", "the registry database failed SQLite's integrity check when it was loaded: re-seed it")
        // Queries that pass meanwhile do not mend it.
        #expect(api.get("/registry").status == 200 && api.get("/services/svc1").status == 200)
        #expect(api.get("/healthz").status == 503)
    }

    /// The check runs as the registry loads, and again with every load the watcher makes.
    @Test func aSoundDatabasePassesAndStaysHealthy() throws {
        let (api, folder) = try trapsAPI()
        #expect(api.get("/healthz").status == 200)
        withExtendedLifetime(folder) { api.checkRegistry(force: true) }
        #expect(api.get("/healthz").text == #"{"status":"ok"}"# + "\n")
    }
}
