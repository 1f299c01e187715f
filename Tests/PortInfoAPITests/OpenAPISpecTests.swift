import Foundation
@testable import PortInfoAPI
import Testing
import TestSupport

@Suite struct OpenAPISpecTests {
    let file = repositoryRoot.appendingPathComponent("openapi.yaml")

    @Test func theBinaryCarriesOpenAPIYamlByteForByte() throws {
        #expect(Data(OpenAPISpec.text.utf8) == (try Data(contentsOf: file)),
                "the binary's /openapi.yaml differs from the file")
    }

    @Test func theSpecDescribesEveryRouteAndNoOther() throws {
        let paths = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("  /") && $0.hasSuffix(":") }
            .map { String($0.dropFirst(2).dropLast()) }
        #expect(paths == ["/ports/{port}", "/services/{name}", "/search", "/registry", "/healthz", "/openapi.yaml",
                          "/metrics", "/listeners", "/free-ports"])
        let routes = paths.map { Route(path: $0.replacingOccurrences(of: "{port}", with: "1")
            .replacingOccurrences(of: "{name}", with: "n")[...]) }
        #expect(routes == [.port("1"), .service("n"), .search, .registry, .health, .openAPISpec, .metrics, .listeners, .freePorts])
    }

    @Test func theSpecListsEveryProblemTypeAndNoOther() throws {
        let marker = "- \(Problem.Kind.typePrefix)"
        let listed = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            .compactMap { line in line.firstRange(of: marker).map { String(line[$0.upperBound...]) } }
        #expect(listed == Problem.Kind.allCases.map(\.rawValue))
        let statuses = Set(Problem.Kind.allCases.map(\.status))
        #expect(try String(contentsOf: file, encoding: .utf8).contains("enum: [\(statuses.sorted().map(String.init).joined(separator: ", "))]"))
    }
}
