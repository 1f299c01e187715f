/// A `/metrics` page parsed as a Prometheus scraper reads the text format (0.0.4): `# HELP` and
/// `# TYPE` lines, then samples `name{label="value",…} value`. Anything else is an error, so a
/// page that parses here is one Prometheus takes.
public struct PrometheusText {
    public struct Sample: Equatable {
        public let name: String
        public let labels: [String: String]
        public let value: Double
    }

    public struct SyntaxError: Error, CustomStringConvertible {
        public let description: String
    }

    public private(set) var help: [String: String] = [:]
    public private(set) var types: [String: String] = [:]
    public private(set) var samples: [Sample] = []

    public init(_ text: String) throws {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ", maxSplits: 1)
                guard parts.count == 2, Self.isMetricName(parts[0]) else { throw SyntaxError(description: "bad line: \(line)") }
                let (name, rest) = (String(parts[0]), String(parts[1]))
                if line.hasPrefix("# HELP ") {
                    guard help.updateValue(rest, forKey: name) == nil else { throw SyntaxError(description: "second HELP for \(name)") }
                } else {
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(rest),
                          !samples.contains(where: { Self.family(of: $0.name) == name }),
                          types.updateValue(rest, forKey: name) == nil
                    else { throw SyntaxError(description: "bad, late or second TYPE: \(line)") }
                }
            } else if !line.hasPrefix("#") {
                var rest = line[...]
                let sample = try Self.sample(&rest)
                guard types[Self.family(of: sample.name)] != nil else { throw SyntaxError(description: "no TYPE before \(line)") }
                samples.append(sample)
            }
        }
    }

    /// The value of the sample `name` with exactly `labels`, or nil.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// The samples named `name`.
    public func samples(named name: String) -> [Sample] {
        samples.filter { $0.name == name }
    }

    /// `name_bucket`, `name_sum` and `name_count` belong to the histogram or summary `name`.
    private static func family(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    private static func sample(_ text: inout Substring) throws -> Sample {
        let name = String(text.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard isMetricName(name[...]) else { throw SyntaxError(description: "bad metric name in: \(text)") }
        text = text.dropFirst(name.count)
        var labels: [String: String] = [:]
        if text.first == "{" {
            text = text.dropFirst()
            while text.first != "}" {
                let label = String(text.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                text = text.dropFirst(label.count)
                guard !label.isEmpty, !label.first!.isNumber, text.hasPrefix("=\"") else { throw SyntaxError(description: "bad label: \(text)") }
                text = text.dropFirst(2)
                var value = ""
                while let character = text.popFirst(), character != "\"" {
                    guard character == "\\" else { value.append(character); continue }
                    switch text.popFirst() {
                    case "\\": value.append("\\")
                    case "\"": value.append("\"")
                    case "n": value.append("\n")
                    default: throw SyntaxError(description: "bad escape in label \(label)")
                    }
                }
                guard labels.updateValue(value, forKey: label) == nil else { throw SyntaxError(description: "label \(label) twice") }
                if text.first == "," { text = text.dropFirst() }
                guard !text.isEmpty else { throw SyntaxError(description: "unterminated labels") }
            }
            text = text.dropFirst()
        }
        let fields = text.split(separator: " ")
        guard text.first == " ", (1...2).contains(fields.count), let value = number(fields[0]),
              fields.count == 1 || Int(fields[1]) != nil
        else { throw SyntaxError(description: "bad value or timestamp: \(text)") }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: text.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) ? Double(text) : nil
        }
    }

    private static func isMetricName(_ name: Substring) -> Bool {
        guard let first = name.first, first.isASCII, !first.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
    }
}

extension RawClient {
    /// GET /metrics on this kept-alive connection, parsed; nil when it is not answered or not in
    /// the text format.
    public func metrics() -> PrometheusText? {
        send("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")
        return readResponse().flatMap { try? PrometheusText($0.body) }
    }
}
