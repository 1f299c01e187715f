import HTTPServer
import PortInfoReports

/// How a registry answer is written: JSON (compact, or indented with `?pretty`), or an HTML page
/// for a client that prefers one. `?format=json|html` decides; without it `Accept` does, and
/// only a client that ranks HTML above JSON gets HTML: browsers do (`text/html,…,*/*;q=0.8`),
/// while `*/*` (curl), no Accept, a tie, or JSON first mean JSON, as before pages existed.
enum Representation: Hashable, Sendable {
    case json(APIJSON.Format)
    case html

    /// The JSON format a problem or a JSON-only route answers in.
    var jsonFormat: APIJSON.Format {
        if case let .json(format) = self { return format }
        return .compact
    }

    /// For a route that has pages; a bad `format` is a 400 the caller answers in JSON. Its answers
    /// name Accept in `consulted` whichever decided, `format` or Accept: both ways of asking share
    /// the `/ports` answers kept finished, Vary and all.
    init(query: QueryParameters, headers: HTTPHeaders, consulted: inout Answer.Consulted) throws(Problem) {
        consulted.insert(.accept)
        let format: APIJSON.Format = query.contains("pretty") ? .pretty : .compact
        switch try query.value("format") {
        case "json"?: self = .json(format)
        case "html"?: self = .html
        case let other?:
            throw Problem(.invalidParameter, "query parameter 'format' must be json or html, got '\(other)'")
        case nil:
            self.init(accepting: headers, format: format, consulted: &consulted)
        }
    }

    /// HTML for a client that ranks it above JSON, else JSON in `format`. The one place Accept
    /// is read: it names Accept in `consulted`, for Vary, whatever the answer turns out to be.
    init(accepting headers: HTTPHeaders, format: APIJSON.Format, consulted: inout Answer.Consulted) {
        consulted.insert(.accept)
        self = Self.prefersHTML(headers.values("Accept")) ? .html : .json(format)
    }

    /// Whether Accept gives HTML a higher quality than JSON (RFC 9110, 12.5.1): the most specific
    /// range that matches each decides its quality.
    private static func prefersHTML(_ fields: [String]) -> Bool {
        var html: (specificity: Int, quality: Double) = (-1, 0), json: (specificity: Int, quality: Double) = (-1, 0)
        for range in HTTPSyntax.commaSeparated(fields.joined(separator: ",")) {
            let parts = range.split(separator: ";").map { $0.trimmingWhitespace().lowercased() }
            guard let type = parts.first, !type.isEmpty else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            func consider(_ best: inout (specificity: Int, quality: Double), exact: [String], family: String) {
                let specificity = exact.contains(type) ? 2 : type == family ? 1 : type == "*/*" ? 0 : -1
                if specificity > best.specificity { best = (specificity, quality) }
            }
            consider(&html, exact: ["text/html", "application/xhtml+xml"], family: "text/*")
            consider(&json, exact: ["application/json", "application/problem+json"], family: "application/*")
        }
        return html.quality > json.quality
    }
}
