import HTTPServer
import Testing
@testable import PortInfoAPI

/// What the HTTP layer refuses before any route sees a request (it cannot be read whole, or the
/// server is full) is worded by the API, as its delegate: one of the API's problem types, with
/// every field any other error has. (Until issue 18 the HTTP layer wrote these itself, as
/// `about:blank` problems without CORS or `no-store`.)
@Suite struct ServerRefusalTests {
    static let refusals: [(status: Int, kind: String)] = [
        (400, "malformed-request"), (408, "request-timeout"), (413, "content-too-large"), (414, "target-too-long"),
        (417, "expectation-failed"), (431, "headers-too-large"), (501, "not-implemented"), (503, "server-busy"),
        (505, "version-not-supported"),
    ]

    @Test(arguments: refusals)
    func aRefusalIsOneOfTheAPIsProblems(status: Int, kind: String) throws {
        let (api, _) = try trapsAPI()
        let retryAfter = status == 503 ? 1 : nil
        let response = api.serverDelegate.refusal(status: status, detail: "the parser's own words", retryAfterSeconds: retryAfter)
        #expect(response.status == status)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(response.problemType == "https://portinfo.invalid/problems/\(kind)")
        let problem = try #require(response.object)
        #expect(problem["status"] as? Int == status && problem["detail"] as? String == "the parser's own words")
        #expect((problem["title"] as? String)?.isEmpty == false)
        #expect(response.headers["Cache-Control"] == "no-store")
        #expect(response.headers["X-Content-Type-Options"] == "nosniff")
        #expect(response.headers["Access-Control-Allow-Origin"] == "*", "the registry's CORS, as for a request without Origin")
        #expect(response.headers["Retry-After"] == retryAfter.map(String.init))
    }

    @Test func aRefusalNamesNoOriginTheRegistrysCORSDoesNotAllowEveryone() throws {
        let (api, _) = try trapsAPI(allowedOrigins: ["https://wiki.example"])
        let response = api.serverDelegate.refusal(status: 400, detail: "no Host", retryAfterSeconds: nil)
        #expect(response.headers["Access-Control-Allow-Origin"] == nil)
        #expect(response.problemType == "https://portinfo.invalid/problems/malformed-request")
    }
}
