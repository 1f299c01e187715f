import Foundation
import Registry

/// One line of the search-quality suite: a query as a person types it and the port they mean;
/// `needsKnownUse` when that port's answer is a known use, not an IANA record that covers it.
struct QualityCase {
    let query: String
    let port: Int
    let needsKnownUse: Bool
    let line: Int
}

enum QualityCaseError: Error, CustomStringConvertible {
    case unreadable(path: String)
    case malformed(path: String, line: Int, text: String)

    var description: String {
        switch self {
        case let .unreadable(path): "cannot read the suite \(path)"
        case let .malformed(path, line, text):
            "\(path):\(line): expected QUERY<TAB>PORT[<TAB>known-use], got \"\(text)\""
        }
    }
}

/// The suite's cases, from a file of QUERY<TAB>PORT[<TAB>known-use] lines; `#` starts a comment line.
func qualityCases(in path: String) throws -> [QualityCase] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw QualityCaseError.unreadable(path: path) }
    var cases: [QualityCase] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where !line.isEmpty && !line.hasPrefix("#") {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count), !fields[0].isEmpty, let port = Int(fields[1]),
              fields.count == 2 || fields[2] == "known-use"
        else { throw QualityCaseError.malformed(path: path, line: index + 1, text: String(line)) }
        cases.append(QualityCase(query: String(fields[0]), port: port, needsKnownUse: fields.count == 3, line: index + 1))
    }
    return cases
}

/// What one of the first results is, for the report, and whether it answers `port`.
struct ShownResult {
    let label: String
    let answers: Bool
}

/// Runs every case and prints, per case, whether its port is among the first three results and
/// what those were; then success@3 over all cases and per kind.
func benchQuality(_ store: RegistryStore, suite: String) throws {
    let cases = try qualityCases(in: suite)
    var passed = 0, knownPassed = 0
    for test in cases {
        let shown = try firstResults(store, for: test, count: 3)
        let success = shown.contains(where: \.answers)
        if success {
            passed += 1
            if test.needsKnownUse { knownPassed += 1 }
        }
        print("\(success ? "ok  " : "MISS") \(test.query) -> \(test.port)\(test.needsKnownUse ? " (known use)" : ""): "
            + (shown.isEmpty ? "nothing" : shown.map(\.label).joined(separator: ", ")))
    }
    let knownCount = cases.count { $0.needsKnownUse }
    func share(_ part: Int, _ whole: Int) -> String { "\(part)/\(whole) = \(String(format2: whole == 0 ? 0 : 100 * Double(part) / Double(whole)))%" }
    print("success@3: \(share(passed, cases.count)); IANA records: \(share(passed - knownPassed, cases.count - knownCount)); "
        + "known uses: \(share(knownPassed, knownCount))")
}

/// The first `count` results of a case's query: records and known uses as `SearchResults.ranked`
/// orders them. A record answers when its port or range covers the port (unless the case needs a
/// known use), a known use when its ports cover it.
func firstResults(_ store: RegistryStore, for test: QualityCase, count: Int) throws -> [ShownResult] {
    func text(_ ports: Record.Ports) -> String { ports.first == ports.last ? "\(ports.first)" : "\(ports.first)-\(ports.last)" }
    func covers(_ ports: Record.Ports?) -> Bool { ports.map { $0.first <= test.port && test.port <= $0.last } ?? false }
    return try store.search(SearchQuery(test.query), limit: count).ranked.prefix(count).map { hit in
        switch hit {
        case let .record(hit):
            let record = hit.record
            let via = hit.everydayName.map { " via \"\($0.name)\"" } ?? ""
            return ShownResult(label: "\(record.service ?? "(unnamed)") \(record.ports.map(text) ?? "no port")/\(record.transport?.rawValue ?? "any")\(via)",
                               answers: covers(record.ports) && !test.needsKnownUse)
        case let .knownUse(hit):
            let use = hit.knownUse
            return ShownResult(label: "known use: \(use.product) \(text(use.ports))/\(use.transport.rawValue)", answers: covers(use.ports))
        }
    }
}
