import Foundation
import HTTPServer
import PortInfoAPI
import PortInfoReports
import Registry
import Testing
import TestSupport

@Suite struct JSONBodyTests {
    static let recordKeys = ["service", "transport", "ports", "description", "assignee", "contact", "registered",
                             "modified", "references", "service_code", "unauthorized_use", "notes", "status", "source"]

    @Test func prettyIndentsByTwoSpacesWhateverItsValue() throws {
        let (api, _) = try trapsAPI()
        let indented = """
            {
              "port": 65535,
              "range": "dynamic",
              "status": "unassigned",
              "records": [],
              "related": [],
              "everyday_names": [],
              "known_uses": []
            }

            """
        for target in ["/ports/65535?pretty", "/ports/65535?pretty=", "/ports/65535?pretty=0", "/ports/65535?x=1&pretty&pretty"] {
            #expect(api.get(target).text == indented, "\(target)")
        }
        #expect(api.get("/healthz?pretty").text == "{\n  \"status\": \"ok\"\n}\n")
        #expect(api.get("/ports/abc?pretty").text.hasPrefix("{\n  \"type\": \"https://portinfo.invalid/problems/invalid-port\",\n"))
    }

    @Test func prettyNestsRecordsAndTheirPorts() throws {
        let (api, _) = try trapsAPI()
        let text = api.get("/ports/6001?pretty").text
        #expect(text.contains("""
              "records": [
                {
                  "service": "x11",
                  "transport": "tcp",
                  "ports": {
                    "first": 6000,
                    "last": 6063
                  },
                  "description": "X Window System",
            """))
        #expect(text.contains("\n      \"references\": [],\n"))
        let compact = try JSONSerialization.jsonObject(with: Data(api.get("/ports/6001").body)) as? NSDictionary
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary == compact)
    }

    @Test func everyRecordHasEveryKeyInOrderMissingValuesAsNull() throws {
        let (api, _) = try trapsAPI()
        for target in ["/ports/0", "/ports/21", "/ports/7776", "/services/argus", "/search?q=unassigned"] {
            let text = api.get(target).text
            for record in api.get(target).records {
                #expect(Set(record.keys) == Set(Self.recordKeys), "\(target)")
            }
            // The keys of the first record come in Record's order.
            let firstRecord = try #require(text.range(of: "[{")).upperBound
            let positions = Self.recordKeys.map { text[firstRecord...].range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil } && positions == positions.sorted { $0! < $1! }, "\(target)")
            #expect(!text.contains("\"\""), "an empty string in \(target)")
        }
        let ftp = try #require(api.get("/ports/21").records.first)
        #expect(ftp["references"] as? [String] == ["RFC959", "RFC2228"])
        #expect(ftp["registered"] as? String == "2003-01" && ftp["modified"] as? String == "2024-07-22")
        #expect(ftp["notes"] as? String == "Defined TXT keys: u=<username> p=<password> path=<path>")
        #expect(ftp["service_code"] is NSNull)
    }

    @Test func textIsEscapedOnlyWhereJSONNeedsIt() throws {
        let folder = TemporaryDirectory()
        let csv = ianaHeader + "\nodd,7000,tcp,\"tab\there, \"\"quoted\"\" \\back/slash\u{1}, caf\u{E9} \u{1F50C}\",,,,,,,,\n"
        let api = try PortInfoAPI(configuration: APIConfiguration(databasePath: seededDatabase(csv, in: folder)))
        let response = api.get("/ports/7000")
        #expect(response.text.contains(#""description":"tab\there, \"quoted\" \\back/slash\u0001, caf\#u{E9} \#u{1F50C}","#))
        #expect(response.records.first?["description"] as? String == "tab\there, \"quoted\" \\back/slash\u{1}, caf\u{E9} \u{1F50C}")
    }

    @Test func theCLISharesTheAPIsBodies() throws {
        let (api, folder) = try trapsAPI()
        let store = try RegistryStore(path: folder.path("registry.db"))
        for format in [APIJSON.Format.compact, .pretty] {
            let query = format == .pretty ? "?pretty" : ""
            #expect(APIJSON.portReport(try store.report(port: 63), format: format) == api.get("/ports/63\(query)").body)
            #expect(APIJSON.serviceAnswer(name: "FTP", records: try store.records(named: "FTP"), format: format)
                == api.get("/services/FTP\(query)").body)
            #expect(APIJSON.searchAnswer(query: "sun", results: try store.search(SearchQuery("sun")), format: format)
                == api.get("/search?q=sun\(query.isEmpty ? "" : "&pretty")").body)
            #expect(APIJSON.registryMetadata(try store.metadata(), format: format) == api.get("/registry\(query)").body)
        }
        #expect(api.get("/services/argus").text == #"{"service":"argus","records":[{"service":"argus","transport":null,"#
            + #""ports":null,"description":"ARGUS Protocol","assignee":"Robert_Hinden","contact":"Robert_Hinden","registered":null,"#
            + #""modified":null,"references":[],"service_code":null,"unauthorized_use":null,"notes":null,"status":"assigned","source":"iana"}]}"# + "\n")
    }
}
