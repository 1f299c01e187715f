import Foundation
@testable import PortInfoAPI
import Registry
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
        #expect(paths == RouteTable.routes.map(\.path))
    }

    /// Each path's operations are its route's methods and OPTIONS, as `Allow` says.
    @Test func theSpecGivesEachRouteTheMethodsTheTableDoes() throws {
        var operations: [String: [String]] = [:]
        var path = ""
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("  /") && line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()) }
            if !path.isEmpty, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                operations[path, default: []].append(line.trimmingCharacters(in: .whitespaces).dropLast().uppercased())
            }
            if line.hasPrefix("components:") { break }
        }
        for route in RouteTable.routes {
            #expect(operations[route.path]?.joined(separator: ", ") == route.allowedMethods, "\(route.path)")
        }
    }

    @Test func theSpecListsEveryProblemTypeAndNoOther() throws {
        let marker = "- \(Problem.Kind.typePrefix)"
        let listed = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            .compactMap { line in line.firstRange(of: marker).map { String(line[$0.upperBound...]) } }
        #expect(listed == Problem.Kind.allCases.map(\.rawValue))
        let statuses = Set(Problem.Kind.allCases.map(\.status))
        #expect(try String(contentsOf: file, encoding: .utf8).contains("enum: [\(statuses.sorted().map(String.init).joined(separator: ", "))]"))
    }

    /// What the spec says `q` may be is exactly what the server accepts: schemathesis holds the
    /// server to the spec both ways (no valid `q` refused, no invalid one taken).
    @Test func theSearchTextTheSpecAllowsIsWhatTheServerAccepts() throws {
        let spec = try String(contentsOf: file, encoding: .utf8)
        // The one schema every `q` of a search (/search, the lookup page) takes.
        let search = try #require(spec.range(of: "\n    SearchText:\n")).upperBound
        let patternLine = try #require(spec[search...].split(separator: "\n").first { $0.contains("pattern: '") })
        let pattern = String(patternLine.drop { $0 != "'" }.dropFirst().dropLast())
        let maxLength = try #require(spec[search...].split(separator: "\n").first { $0.contains("maxLength:") }
            .flatMap { Int($0.split(separator: " ").last!) })
        #expect(maxLength == SearchQuery.maximumTextLength)
        // Scalar by scalar, as JSON Schema's (ECMA-262) and schemathesis's (Python) expressions
        // match, not Character by Character as Swift's do by default.
        let regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
        // Letters, digits, every ASCII separator, and non-ASCII letters, marks, symbols, spaces and
        // scalars newer than some Unicode versions know (CJK extension H).
        let alphabet: [Unicode.Scalar] = (0...0x7F).compactMap(Unicode.Scalar.init)
            + ["\u{E9}", "\u{301}", "\u{B7}", "\u{A0}", "\u{3000}", "\u{2167}", "\u{661}", "\u{1F600}", "\u{31350}", "\u{AB}"]
        var random = SystemRandomNumberGenerator()
        for length in [0, 1, 2, 5, 8, 15, 16, 17, 30, 255, 256, 257] {
            for _ in 0..<200 {
                var text = String.UnicodeScalarView()
                for _ in 0..<length {
                    // Mostly letters and spaces, so that word counts land around the cap.
                    let pick = Int.random(in: 0..<10, using: &random)
                    text.append(pick < 5 ? "a" : pick < 8 ? " " : alphabet.randomElement(using: &random)!)
                }
                let string = String(text)
                let allowed = string.unicodeScalars.count <= maxLength && (try? regex.wholeMatch(in: string)) != nil
                let accepted = (try? SearchQuery(string)) != nil
                #expect(allowed == accepted, "\(string.debugDescription): the spec \(allowed ? "allows" : "refuses") it, the server \(accepted ? "accepts" : "refuses") it")
            }
        }
    }
}
