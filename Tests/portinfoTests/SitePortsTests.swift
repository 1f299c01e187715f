import Foundation
import Testing
import TestSupport

/// A site's own port assignments, beside IANA's, through the real binary.
@Suite struct SitePortsTests {
    static let siteCSV = """
        Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Assignment Notes
        billing-api,7000,tcp,Billing service API,team-billing,billing@example.com,
        metrics-relay,40000-40009,tcp,Metrics relay pool,team-observability,,"One port per relay worker"
        wiki-sync,600,tcp,Wiki sync daemon,team-wiki,,reuses 600 here: nobody runs ipcserver

        """

    @Test func aSeedWithSitePortsServesThemBesideIANAsMarkedAndReportsClashes() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let site = folder.write("site.csv", Self.siteCSV)
        let seed = try run(["seed", "--csv", folder.path("traps.csv"), "--site-ports", site, "--db", database, "--force"])
        #expect(seed.status == 0, "\(seed.error)")
        let lines = seed.output.split(separator: "\n")
        #expect(lines.first?.contains(": 16 records (3 from site.csv), ") == true, "\(seed.output)")
        // Reported, not refused: the one site row on a port IANA assigns to another service.
        #expect(Array(lines.dropFirst()) == ["site.csv line 4: wiki-sync 600/tcp claims a port IANA assigns to ipcserver (600/tcp)"])

        let lookup = try run(["lookup", "600", "--db", database])
        #expect(lookup.output == """
            port 600 (system range): assigned
            SERVICE    PORT  TRANSPORT  STATUS    SOURCE  DESCRIPTION
            ipcserver  600   tcp        assigned  iana    Sun IPC server
            ipcserver  600   udp        assigned  iana    Sun IPC server
            wiki-sync  600   tcp        assigned  site    Wiki sync daemon

            """)
        // A port's status stays IANA's: no IANA record covers 40005.
        #expect(try run(["lookup", "40005", "--db", database]).output.hasPrefix("port 40005 (user range): unassigned\n"))

        let server = try ServerProcess(["--db", database, "--access-log", "off"])
        let relay = try #require(try server.get("/ports/40005").json)
        #expect(relay["status"] as? String == "unassigned")
        let record = try #require((relay["records"] as? [[String: Any]])?.first)
        #expect(record["source"] as? String == "site" && record["assignee"] as? String == "team-observability")
        #expect(record["ports"] as? [String: Int] == ["first": 40000, "last": 40009])
        #expect(record["notes"] as? String == "One port per relay worker")
        let billing = try #require(try server.get("/services/billing-api").json)
        #expect((billing["records"] as? [[String: Any]])?.map { $0["source"] as? String } == ["site"])
        let search = try #require(try server.get("/search?q=billing").json)
        #expect((search["results"] as? [[String: Any]])?.contains { $0["service"] as? String == "billing-api" } == true)
        let registry = try #require(try server.get("/registry").json)
        #expect((registry["site"] as? [String: Any])?["source"] as? String == "site.csv")
        #expect((registry["site"] as? [String: Any])?["record_count"] as? Int == 3)
    }

    @Test(arguments: [
        ("Service Name,Port Number,Transport Protocol\nx,1,tcp\n",
         "line 1: the required column 'Description' is missing (required: Service Name, Port Number, Transport Protocol, Description)"),
        ("Service Name,Port Number,Transport Protocol,Description,Owner\nx,1,tcp,X,me\n",
         "line 1: 'Owner' is not one of IANA's column names"),
        ("Service Name,Port Number,Transport Protocol,Description\nx,1,tcp,X\ny,2,tcp,\n",
         "line 3: 'Description' is empty: a site assignment needs a service name, a port, a transport and a description"),
        ("Service Name,Port Number,Transport Protocol,Description\nx,70000,tcp,X\n",
         "line 2: Port Number '70000' is not N or N-M with ports from 0 to 65535"),
        ("Service Name,Port Number,Transport Protocol,Description\nx,1,tcp\n",
         "line 2: expected 4 fields, as the header names, found 3"),
        ("", "the file is empty: it needs a header line naming its columns"),
    ])
    func aBadSiteFileStopsTheSeedNamingItsLineAndLeavesTheDatabase(file: String, reason: String) throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let site = folder.write("site.csv", file)
        let seed = try run(["seed", "--csv", folder.path("traps.csv"), "--site-ports", site, "--db", database, "--force"])
        #expect(seed.status != 0)
        #expect(seed.error.hasPrefix("portinfo: \(site)") && seed.error.contains(reason)
                && seed.error.hasSuffix("; nothing was seeded from it\n"), "\(seed.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        #expect(folder.fileNames().sorted() == ["registry.db", "site.csv", "traps.csv"])
    }

    @Test func aSeedWithTheSameCSVAndSiteFileIsSkippedAndAnotherSiteFileIsNot() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let site = folder.write("site.csv", Self.siteCSV)
        let arguments = ["seed", "--csv", folder.path("traps.csv"), "--db", database]
        #expect(try run(arguments).output.contains("\(database) is unchanged: already seeded from this CSV"))
        let withSite = try run(arguments + ["--site-ports", site])
        #expect(withSite.status == 0 && withSite.output.hasPrefix("seeded \(database): 16 records (3 from site.csv)"), "\(withSite.output)")
        let again = try run(arguments + ["--site-ports", site])
        #expect(again.status == 0 && again.output.hasPrefix("\(database) is unchanged: already seeded from this CSV"), "\(again.output)")
        #expect(again.output.contains("and site.csv (sha256 "))
    }

    @Test func serveWithSitePortsWatchesTheFileAndKeepsTheLastGoodOne() throws {
        let folder = try seededFolder()
        let site = folder.write("site.csv", Self.siteCSV)
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--access-log", "off"],
                                       environment: ["PORTINFO_SITE_PORTS": site])
        #expect(server.startupLog.contains("site ports: line 4: wiki-sync 600/tcp claims a port IANA assigns to ipcserver"))
        #expect(try server.get("/services/billing-api").status == 200)

        // An edit is taken (written to a new file renamed over the old, as editors and tools do).
        let edited = folder.write("site.csv.new", Self.siteCSV + "docs-preview,7001,tcp,Docs preview server,team-docs,,\n")
        #expect(rename(edited, site) == 0)
        #expect(try waitUntil { try server.get("/services/docs-preview").status == 200 })

        // A bad edit is not: the registry with the last good site file is served, and health says why.
        folder.write("site.csv", "Service Name,Port Number\nbroken,1\n")
        #expect(try waitUntil { try server.get("/healthz").body.contains(#""status":"degraded","reason":"the site ports file cannot be read"#) })
        #expect(try server.get("/services/docs-preview").status == 200)
        let log = server.stop().log
        #expect(log.contains("not switching registries: \(site) line 1: the required column 'Transport Protocol' is missing"), "\(log)")
    }

    @Test(.needsProcNet)
    func freePortsNeverOffersAPortTheSiteAssigns() throws {
        let folder = try seededFolder()
        let site = folder.write("site.csv", Self.siteCSV)
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--site-ports", site, "--report-local", "--access-log", "off"])
        let free = try server.get("/free-ports?from=39998&count=5&transport=tcp")
        #expect(free.status == 200)
        let ports = try #require(free.json?["ports"] as? [Int])
        #expect(ports.count == 5)
        #expect(ports.allSatisfy { !(40000...40009).contains($0) }, "\(ports)")
        #expect(ports.allSatisfy { $0 >= 39998 })
        #expect(ports.contains { $0 > 40009 }, "\(ports): the search went on past the site's range")
    }
}
