import HTTPServer
import PortInfoAPI
import Testing
import TestSupport

/// A request to every route, answered 200.
let everyRoute = ["/ports/600", "/services/ftp", "/search?q=ftp", "/registry", "/healthz", "/openapi.yaml"]

@Suite struct MethodsAndPathsTests {
    @Test(arguments: everyRoute + ["/ports/abc", "/ports/080", "/services/nosuch", "/search"])
    func headAnswersAsGetDoes(target: String) throws {
        let (api, _) = try trapsAPI()
        let get = api.get(target), head = api.get(target, method: "HEAD")
        #expect(head.status == get.status)
        #expect(head.headers.fields.map { "\($0.name): \($0.value)" } == get.headers.fields.map { "\($0.name): \($0.value)" })
        // The server drops HEAD bodies; the handler keeps it, so that Content-Length is the GET's.
        #expect(head.body == get.body)
    }

    @Test(arguments: everyRoute + ["/ports/abc", "/services/"])
    func optionsIsAPreflightOnEveryRoute(target: String) throws {
        let (api, _) = try trapsAPI()
        let response = api.get(target, method: "OPTIONS", headers: [
            ("Origin", "https://wiki.example.com"), ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "if-none-match"),
        ])
        #expect(response.status == 204)
        #expect(response.body.isEmpty)
        #expect(response.headers["Access-Control-Allow-Origin"] == "*")
        #expect(response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS")
        #expect(response.headers["Access-Control-Allow-Headers"] == "If-None-Match, Content-Type")
        #expect(response.headers["Access-Control-Max-Age"] == "86400")
        #expect(response.headers["Allow"] == "GET, HEAD, OPTIONS")
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "get", "BREW"])
    func otherMethodsAre405WithAllow(method: String) throws {
        let (api, _) = try trapsAPI()
        for target in everyRoute {
            let response = api.get(target, method: method)
            let path = target.prefix { $0 != "?" }
            expectProblem(response, 405, "method-not-allowed", "\(method) is not allowed on \(path): the API is read-only and allows GET, HEAD, OPTIONS")
            #expect(response.headers["Allow"] == "GET, HEAD, OPTIONS")
        }
    }

    @Test(arguments: ["/ports", "/ports/600/tcp", "/ports/600//", "/PORTS/600", "/services", "/services/cl/1", "/services/cl/1/",
                      "/search//", "/healthz/x", "/healthz/x/", "/openapi.json", "*", "/ports%2F600", "//ports/600", "//ports/600/"])
    func otherPathsAre404WhateverTheMethod(target: String) throws {
        let (api, _) = try trapsAPI()
        for method in ["GET", "HEAD", "OPTIONS", "POST"] where !(target == "*" && method == "OPTIONS") {
            let response = api.get(target, method: method)
            expectProblem(response, 404, "unknown-path", "there is nothing at \(target): the API serves /ports/{port}, /services/{name}, /search, "
                + "/registry, /registry/changes, /healthz, /openapi.yaml, /metrics, /listeners, /free-ports and /widget.js, and the lookup page at /")
        }
    }

    /// A route's path with a trailing slash is the route's, said once: one address for links and caches.
    @Test(arguments: [("/ports/600/", "/ports/600"), ("/ports/080/", "/ports/080"),
                      ("/services/cl%2F1/?format=html", "/services/cl%2F1?format=html"), ("/search/?q=ftp&limit=1", "/search?q=ftp&limit=1"),
                      ("/registry/", "/registry"), ("/registry/changes/", "/registry/changes"), ("/healthz/", "/healthz"),
                      ("/widget.js/", "/widget.js"), ("//", "/")])
    func aRoutesPathWithATrailingSlashRedirectsToIt(target: String, location: String) throws {
        let (api, _) = try trapsAPI()
        for method in ["GET", "HEAD", "OPTIONS", "POST"] {
            let response = api.get(target, method: method)
            #expect(response.status == 301 && response.headers["Location"] == location && response.body.isEmpty, "\(method) \(target)")
        }
        #expect(api.get(location).status != 404)
        #expect(api.get("/").headers["Content-Type"] == "text/html; charset=utf-8", "/ stays the lookup page")
    }

    @Test(arguments: Serving.allCases)
    func optionsOnTheServerItselfSaysWhatEveryRouteAllows(serving: Serving) throws {
        let (client, _) = try serving.trapsClient()
        let response = try client.get("*", method: "OPTIONS")
        #expect(response.status == 200)
        #expect(response.header("Allow") == "GET, HEAD, OPTIONS")
        #expect(response.body.isEmpty && response.header("Content-Type") == nil)
    }

    @Test func theMethodIsCheckedBeforeTheParameters() throws {
        let (api, _) = try trapsAPI()
        #expect(api.get("/ports/abc", method: "POST").status == 405)
        #expect(api.get("/ports/080", method: "DELETE").status == 405)
    }
}
