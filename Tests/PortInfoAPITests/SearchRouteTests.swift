import HTTPServer
import PortInfoAPI
import Testing
import TestSupport

@Suite struct SearchRouteTests {
    @Test func answersTheQueryTheTotalAndOnePage() throws {
        let (api, _) = try trapsAPI()
        let response = api.get("/search?q=whois")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.object?["query"] as? String == "whois")
        #expect(response.object?["total"] as? Int == 2)
        #expect(response.text.hasPrefix(#"{"query":"whois","total":2,"results":[{"service":"#))
        #expect(Set(response.records.compactMap { $0["service"] as? String }) == ["whoispp", "whois++"])
    }

    @Test func limitAndOffsetPage() throws {
        let (api, _) = try trapsAPI()
        let page = api.get("/search?q=sun&limit=1&offset=1")
        #expect(page.object?["total"] as? Int == 2)
        #expect(page.records.map { $0["transport"] as? String } == ["udp"])
        #expect(api.get("/search?q=sun&offset=9223372036854775807").records.isEmpty)
        #expect(api.get("/search?q=sun&limit=100").records.count == 2)
    }

    @Test(arguments: [
        ("/search?q=historic+discovery", "historic discovery"),
        ("/search?q=historic%20discovery", "historic discovery"),
        ("/search?q=%68istoric+discovery&x=%zz", "historic discovery"),
        ("/search?q=historic+discovery&q=ftp", "historic discovery"),
        ("/search?limit=5&q=historic+discovery", "historic discovery"),
    ])
    func theQueryStringIsReadAsFormsWriteIt(target: String, query: String) throws {
        let (api, _) = try trapsAPI()
        let response = api.get(target)
        #expect(response.status == 200)
        #expect(response.object?["query"] as? String == query)
        #expect(response.records.map { $0["service"] as? String } == ["whois++"])
    }

    @Test func textWithoutWordsMatchesNothing() throws {
        let (api, _) = try trapsAPI()
        let response = api.get("/search?q=%22+OR+NEAR(+*+")
        #expect(response.status == 200)
        #expect(response.object?["total"] as? Int == 0)
        #expect(api.get("/search?q=+").object?["query"] as? String == " ")
    }

    @Test(arguments: [
        ("/search", "query parameter 'q' is required: /search?q=WORDS"),
        ("/search?query=ftp", "query parameter 'q' is required: /search?q=WORDS"),
        ("/search?q=", "query parameter 'q' is empty: give the words to search for, /search?q=WORDS"),
        ("/search?q", "query parameter 'q' is empty: give the words to search for, /search?q=WORDS"),
        ("/search?q=ftp&limit=0", "query parameter 'limit' must be an integer from 1 to 100, got '0'"),
        ("/search?q=ftp&limit=101", "query parameter 'limit' must be an integer from 1 to 100, got '101'"),
        ("/search?q=ftp&limit=abc", "query parameter 'limit' must be an integer from 1 to 100, got 'abc'"),
        ("/search?q=ftp&limit=1.5", "query parameter 'limit' must be an integer from 1 to 100, got '1.5'"),
        ("/search?q=ftp&limit=+5", "query parameter 'limit' must be an integer from 1 to 100, got ' 5'"),
        ("/search?q=ftp&limit=", "query parameter 'limit' must be an integer from 1 to 100, got ''"),
        ("/search?q=ftp&offset=-1", "query parameter 'offset' must be an integer 0 or more, got '-1'"),
        ("/search?q=ftp&offset=9223372036854775808", "query parameter 'offset' must be an integer 0 or more, got '9223372036854775808'"),
    ])
    func aMissingOrInvalidParameterIsA400NamingItAndItsValue(target: String, detail: String) throws {
        let (api, _) = try trapsAPI()
        let response = api.get(target)
        expectProblem(response, 400, "invalid-parameter", detail)
    }

    @Test func searchesPastTheCapsAre400sNamingTheLimitAndTheEdgesAreSearched() throws {
        let (api, _) = try trapsAPI()
        let nine = api.get("/search?q=a+b+c+d+e+f+g+h+i")
        #expect(nine.status == 400 && nine.problemType == "https://portinfo.invalid/problems/invalid-parameter")
        #expect(nine.detail == "query parameter 'q': the query has 9 words; at most 8 are searched: use fewer words")
        #expect(api.get("/search?q=a+b+c+d+e+f+g+h").status == 200)
        let long = api.get("/search?q=" + String(repeating: "x", count: 257))
        #expect(long.status == 400)
        #expect(long.detail == "query parameter 'q': the query is 257 characters long; at most 256 are searched: use fewer or shorter words")
        #expect(api.get("/search?q=" + String(repeating: "x", count: 256)).status == 200)
    }

    @Test func aValueThatIsNotPercentEncodedUTF8IsA400() throws {
        let (api, _) = try trapsAPI()
        let response = api.get("/search?q=caf%E9")
        expectProblem(response, 400, "invalid-encoding", "query parameter 'q' is not percent-encoded UTF-8: 'caf%E9'")
        #expect(api.get("/search?q=ftp&limit=%").detail == "query parameter 'limit' is not percent-encoded UTF-8: '%'")
    }
}
