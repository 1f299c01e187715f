import HTTPServer
import PortInfoAPI
import Testing
import TestSupport

@Suite struct CORSTests {
    let wiki = "https://wiki.example.com"

    /// `Vary` as the answer to `target` must give it: the routes with pages, and paths that are
    /// none (a page or a problem, as Accept asks), name Accept first.
    func vary(_ target: String, _ others: String?) -> String? {
        let acceptChooses = ["/ports/", "/services/", "/search"].contains { target.hasPrefix($0) } || target == "/nowhere"
        let names = [acceptChooses ? "Accept" : nil, others].compactMap { $0 }
        return names.isEmpty ? nil : names.joined(separator: ", ")
    }

    @Test func byDefaultEveryOriginMayReadEveryAnswer() throws {
        let (api, _) = try trapsAPI()
        for target in everyRoute + ["/ports/abc", "/services/nosuch", "/nowhere", "/ports/080"] {
            let response = api.get(target, headers: [("Origin", wiki)])
            #expect(response.headers.values("Access-Control-Allow-Origin") == ["*"], "\(target)")
            #expect(response.headers["Vary"] == vary(target, nil), "\(target)")
        }
        #expect(api.get("/ports/600").headers["Access-Control-Allow-Origin"] == "*")
        #expect(api.get("/ports/600", method: "POST").headers["Access-Control-Allow-Origin"] == "*")
    }

    @Test func anAllowListEchoesListedOriginsOnlyAndVariesByOrigin() throws {
        let (api, _) = try trapsAPI(allowedOrigins: [wiki, "http://localhost:8080"])
        for target in everyRoute + ["/ports/abc", "/nowhere"] {
            let listed = api.get(target, headers: [("Origin", wiki)])
            #expect(listed.headers.values("Access-Control-Allow-Origin") == [wiki], "\(target)")
            #expect(listed.headers.values("Vary") == [vary(target, "Origin")!])
            for other in ["https://evil.example.com", "https://wiki.example.com:443", "https://WIKI.example.com", "null"] {
                let refused = api.get(target, headers: [("Origin", other)])
                #expect(refused.headers["Access-Control-Allow-Origin"] == nil, "\(other)")
                #expect(refused.headers["Vary"] == vary(target, "Origin"))
                #expect(refused.status == listed.status)
            }
            #expect(api.get(target).headers["Access-Control-Allow-Origin"] == nil)
            #expect(api.get(target).headers["Vary"] == vary(target, "Origin"))
        }
        #expect(api.get("/ports/600", headers: [("Origin", "http://localhost:8080")]).headers["Access-Control-Allow-Origin"]
            == "http://localhost:8080")
    }

    @Test func anAllowListAppliesToPreflightsAnd304s() throws {
        let (api, _) = try trapsAPI(allowedOrigins: [wiki])
        let preflight = api.get("/ports/600", method: "OPTIONS", headers: [("Origin", wiki), ("Access-Control-Request-Method", "GET")])
        #expect(preflight.status == 204)
        #expect(preflight.headers["Access-Control-Allow-Origin"] == wiki)
        #expect(preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS")
        #expect(preflight.headers["Vary"] == "Origin")
        let refused = api.get("/ports/600", method: "OPTIONS", headers: [("Origin", "https://evil.example.com")])
        #expect(refused.headers["Access-Control-Allow-Origin"] == nil)
        let tag = try #require(api.get("/ports/600").headers["ETag"])
        let notModified = api.get("/ports/600", headers: [("Origin", wiki), ("If-None-Match", tag)])
        #expect(notModified.status == 304)
        #expect(notModified.headers["Access-Control-Allow-Origin"] == wiki)
        #expect(notModified.headers["Vary"] == "Accept, Origin")
    }

    @Test func anEmptyAllowListLetsNoOriginRead() throws {
        let (api, _) = try trapsAPI(allowedOrigins: [])
        let response = api.get("/ports/600", headers: [("Origin", wiki)])
        #expect(response.status == 200)
        #expect(response.headers["Access-Control-Allow-Origin"] == nil)
    }
}
