import Foundation
import HTTPServer
@testable import PortInfoAPI
import Testing
import TestSupport

@Suite struct RequestSeriesTests {
    /// The label the finishing stage gives a GET of `target`.
    func label(_ target: String) -> String {
        RequestSeries(route: RouteTable.route(for: request(target).path)?.route, method: "GET", status: 200).routeLabel
    }

    @Test(arguments: [
        ("/ports/600", "/ports/{port}"), ("/ports/abc", "/ports/{port}"), ("/ports/", "/ports/{port}"),
        ("/services/whois%2B%2B", "/services/{name}"), ("/search", "/search"), ("/metrics", "/metrics"),
        ("/free-ports", "/free-ports"), ("/", "/"), ("/widget.js", "/widget.js"), ("/index.html", "other"), ("/nope", "other"), ("/ports/600/tcp", "other"),
        ("/PORTS/600", "other"), ("/services/cl/1", "other"), ("*", "other"),
    ])
    func aPathIsLabelledWithItsRoutesTemplateNeverItself(path: String, label: String) {
        #expect(self.label(path) == label)
        #expect(self.label(path + "?q=/x/y") == label)
    }

    @Test func everyTemplateIsThePathOpenAPIYamlGivesItsRoute() throws {
        let paths = try String(contentsOf: repositoryRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("  /") && $0.hasSuffix(":") }.map { String($0.dropFirst(2).dropLast()) }
        let concrete = paths.map { $0.replacingOccurrences(of: "{port}", with: "1").replacingOccurrences(of: "{name}", with: "n") }
        #expect(concrete.map(label) == paths)
        #expect(RouteTable.routes.map(\.path) == paths)
    }

    @Test func methodsTheAPIDoesNotServeAreOther() {
        let methods = ["GET", "HEAD", "OPTIONS", "POST", "get", "BREW"].map { RequestSeries(route: nil, method: $0, status: 405).method.rawValue }
        #expect(methods == ["GET", "HEAD", "OPTIONS", "other", "other", "other"])
    }

    @Test func aRefusedRequestHasNeitherRouteNorMethod() {
        let series = RequestSeries(refusedWith: 431)
        #expect(series.dimensions.map { "\($0.0)=\($0.1)" } == ["route=other", "method=other", "status=431"])
    }
}
