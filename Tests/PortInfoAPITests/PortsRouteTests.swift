import Foundation
import HTTPServer
import PortInfoAPI
import Testing
import TestSupport

/// The tests taking a `Serving` run in process and through a live server alike.
@Suite struct PortsRouteTests {
    @Test(arguments: Serving.allCases)
    func aPortAnswersItsRecordsRangeAndStatusInTheDesignsKeyOrder(serving: Serving) throws {
        let (client, _) = try serving.trapsClient()
        let response = try client.get("/ports/600")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let ipcserver = { (transport: String) in
            #"{"service":"ipcserver","transport":"\#(transport)","ports":{"first":600,"last":600},"description":"Sun IPC server","#
                + #""assignee":"Bill_Schiefelbein","contact":"Bill_Schiefelbein","registered":null,"modified":null,"references":[],"#
                + #""service_code":null,"unauthorized_use":null,"notes":null,"status":"assigned","source":"iana"}"#
        }
        #expect(response.body == #"{"port":600,"range":"system","status":"assigned","records":["#
            + ipcserver("tcp") + "," + ipcserver("udp") + "],"
            + #""related":[],"everyday_names":[],"known_uses":[]}"# + "\n")
    }

    @Test func aPortInsideARangeGetsTheRangesRecord() throws {
        let (api, _) = try trapsAPI()
        let records = api.get("/ports/6001").records
        #expect(records.map { $0["service"] as? String } == ["x11"])
        #expect(records.first?["ports"] as? [String: Int] == ["first": 6000, "last": 6063])
        #expect(records.first?["unauthorized_use"] as? String == "Known Unauthorized Use on port 6003")
    }

    @Test func aliasesAnswerBesideTheirNamesWithTheirTextIntact() throws {
        let (api, _) = try trapsAPI()
        let records = api.get("/ports/63").records
        #expect(records.map { $0["service"] as? String } == ["whoispp", "whois++"])
        #expect(records[0]["description"] as? String
            == "whois++\nIANA assigned this well-formed service name as a replacement for \"whois++\".")
        #expect((records[1]["notes"] as? String)?.hasPrefix("This entry is an alias to \"whoispp\".\n") == true)
    }

    @Test func portZeroIsReservedAndTheLastPortIsDynamicWithNoRecords() throws {
        let (api, _) = try trapsAPI()
        let zero = try #require(api.get("/ports/0").object)
        #expect(zero["status"] as? String == "reserved" && zero["range"] as? String == "system")
        #expect((zero["records"] as? [[String: Any]])?.first?["references"] as? [String] == ["RFC6335"])
        #expect(api.get("/ports/65535").text == #"{"port":65535,"range":"dynamic","status":"unassigned","records":[],"related":[],"everyday_names":[],"known_uses":[]}"# + "\n")
        #expect(api.get("/ports/49151").object?["range"] as? String == "user")
    }

    @Test(arguments: ["65536", "-1", "abc", "1e3", "", "6%200", "%zz", "0x50", "+80", "99999999999999999999"])
    func anythingButAPortIsA400ThatQuotesIt(segment: String) throws {
        let (api, _) = try trapsAPI()
        let response = api.get("/ports/\(segment)")
        let quoted = segment == "6%200" ? "6 0" : segment
        expectProblem(response, 400, "invalid-port", "port must be an integer from 0 to 65535, got '\(quoted)'")
    }

    @Test(arguments: Serving.allCases)
    func theProblemIsWholeRFC9457(serving: Serving) throws {
        let (client, _) = try serving.trapsClient()
        let response = try client.get("/ports/70000")
        #expect(response.status == 400 && response.header("Content-Type") == "application/problem+json")
        #expect(response.body == #"{"type":"https://portinfo.invalid/problems/invalid-port","title":"Invalid port","#
            + #""status":400,"detail":"port must be an integer from 0 to 65535, got '70000'"}"# + "\n")
    }

    @Test(arguments: [
        ("/ports/080", "/ports/80"),
        ("/ports/00", "/ports/0"),
        ("/ports/0065535", "/ports/65535"),
        ("/ports/080?transport=tcp&pretty", "/ports/80?transport=tcp&pretty"),
        ("/ports/%30%38%30", "/ports/80"),
    ])
    func leadingZerosRedirectToThePortsUsualFormKeepingTheQuery(target: String, location: String) throws {
        let (api, _) = try trapsAPI()
        let response = api.get(target)
        #expect(response.status == 301)
        #expect(response.headers["Location"] == location)
        #expect(response.body.isEmpty)
    }

    @Test func leadingZerosBeforeAPortOutOfRangeAreA400() throws {
        let (api, _) = try trapsAPI()
        #expect(api.get("/ports/0070000").detail == "port must be an integer from 0 to 65535, got '0070000'")
    }

    @Test func aTransportKeepsItsRecordsAndThoseNamingNone() throws {
        let (api, _) = try trapsAPI()
        #expect(api.get("/ports/600?transport=udp").records.map { $0["transport"] as? String } == ["udp"])
        let sctp = try #require(api.get("/ports/600?transport=sctp").object)
        #expect(sctp["status"] as? String == "unassigned" && (sctp["records"] as? [Any])?.isEmpty == true)
        #expect(api.get("/ports/7776?transport=tcp").records.count == 2)
        #expect(api.get("/ports/600?transport=tcp&transport=udp").records.map { $0["transport"] as? String } == ["tcp"])
    }

    @Test(arguments: ["TCP", "", "http", "tcp,udp"])
    func anUnknownTransportIsA400NamingTheAllowedOnes(value: String) throws {
        let (api, _) = try trapsAPI()
        let response = api.get("/ports/600?transport=\(value)")
        expectProblem(response, 400, "invalid-parameter", "query parameter 'transport' must be one of tcp, udp, sctp, dccp, got '\(value)'")
    }

    @Test func aTransportThatIsNotPercentEncodedUTF8IsA400() throws {
        let (api, _) = try trapsAPI()
        let response = api.get("/ports/600?transport=%FF")
        expectProblem(response, 400, "invalid-encoding", "query parameter 'transport' is not percent-encoded UTF-8: '%FF'")
    }

    @Test func aCachedAnswerIsTheAnswer() throws {
        let (api, _) = try trapsAPI()
        for target in ["/ports/600", "/ports/600?transport=udp", "/ports/600?pretty", "/ports/65535"] {
            let first = api.get(target), second = api.get(target)
            #expect(first.status == second.status && first.body == second.body && first.fieldNames == second.fieldNames, "\(target)")
        }
        #expect(api.get("/ports/600").body != api.get("/ports/600?transport=udp").body)
        #expect(api.get("/ports/600").body != api.get("/ports/600?pretty").body)
    }
}
