import Foundation
import HTTPServer
import PortInfoAPI
import Testing
import TestSupport

@Suite struct ServicesRouteTests {
    @Test func aNameAnswersItsRecordsAsAsked() throws {
        let (api, _) = try trapsAPI()
        let response = api.get("/services/ipcserver")
        #expect(response.status == 200)
        #expect(response.object?["service"] as? String == "ipcserver")
        #expect(response.records.map { $0["transport"] as? String } == ["tcp", "udp"])
        #expect(response.text.hasPrefix(#"{"service":"ipcserver","records":[{"service":"ipcserver","transport":"tcp","#))
    }

    @Test func namesMatchInAnyCaseAndTheAnswerEchoesTheNameAsked() throws {
        let (api, _) = try trapsAPI()
        let response = api.get("/services/WHOISPP")
        #expect(response.object?["service"] as? String == "WHOISPP")
        #expect(response.records.map { $0["service"] as? String } == ["whoispp"])
    }

    @Test(arguments: [
        ("/services/whois%2B%2B", "whois++"),
        ("/services/whois++", "whois++"),
        ("/services/cl%2F1", "cl/1"),
        ("/services/cl%2f1", "cl/1"),
        ("/services/sql*net", "sql*net"),
        ("/services/sql%2Anet", "sql*net"),
    ])
    func theNameIsOneSegmentPercentDecodedAfterRouting(target: String, name: String) throws {
        let (api, _) = try trapsAPI()
        let response = api.get(target)
        #expect(response.status == 200)
        #expect(response.object?["service"] as? String == name)
        #expect(response.records.map { $0["service"] as? String } == [name])
    }

    @Test func anUnencodedSlashMakesAnotherPath() throws {
        let (api, _) = try trapsAPI()
        let response = api.get("/services/cl/1")
        #expect(response.status == 404)
        #expect(response.problemType == "https://portinfo.invalid/problems/unknown-path")
    }

    @Test func aNameOnlyRecordHasNullPorts() throws {
        let (api, _) = try trapsAPI()
        let record = try #require(api.get("/services/argus").records.first)
        #expect(record["ports"] is NSNull)
        #expect(record["transport"] is NSNull)
        #expect(api.get("/services/argus").text.contains(#""transport":null,"ports":null,"#))
    }

    @Test func anUnknownNameIsA404ThatSaysWhereToLook() throws {
        let (api, _) = try trapsAPI()
        let response = api.get("/services/nosuch")
        expectProblem(response, 404, "unknown-service", "no service is named 'nosuch' in the registry (names match whole, in any case); "
            + "/search?q=WORDS finds words in names, descriptions and notes")
    }

    @Test(arguments: [
        ("/services/%zz", "the service name is not percent-encoded UTF-8: '%zz'"),
        ("/services/x%2", "the service name is not percent-encoded UTF-8: 'x%2'"),
        ("/services/%FF%FE", "the service name is not percent-encoded UTF-8: '%FF%FE'"),
    ])
    func aNameThatIsNotPercentEncodedUTF8IsA400(target: String, detail: String) throws {
        let (api, _) = try trapsAPI()
        let response = api.get(target)
        expectProblem(response, 400, "invalid-encoding", detail)
    }

    @Test func anEmptyNameIsA400() throws {
        let (api, _) = try trapsAPI()
        let response = api.get("/services/")
        expectProblem(response, 400, "invalid-parameter", "the service name is empty: ask for /services/NAME")
    }
}
