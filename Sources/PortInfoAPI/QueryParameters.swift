import Basics
import HTTPServer

/// The query parameters the API reads, each checked as its route needs it: a failure is a
/// problem (400) naming the parameter and what it takes.
struct QueryParameters {
    private let query: HTTPQuery

    init(_ query: Substring?) {
        self.query = HTTPQuery(query)
    }

    /// Whether `name` is present, with any value or none (`?pretty`, `?pretty=1`).
    func contains(_ name: String) -> Bool {
        query.contains(name)
    }

    /// The decoded value of `name` (`""` for `?name` and `?name=`), nil when it is absent.
    func value(_ name: String) throws(Problem) -> String? {
        do {
            return try query.value(name)
        } catch {
            throw Problem(.invalidEncoding, "query parameter '\(name)' is not percent-encoded UTF-8: '\(error.raw)'")
        }
    }

    /// The decimal integer value of `name`, nil when absent.
    func integer(_ name: String, from lowest: Int, to highest: Int = .max) throws(Problem) -> Int? {
        guard let text = try value(name) else { return nil }
        guard let value = ASCII.decimal(text.utf8, as: Int.self), (lowest...highest).contains(value) else {
            let range = highest == .max ? "\(lowest) or more" : "from \(lowest) to \(highest)"
            throw Problem(.invalidParameter, "query parameter '\(name)' must be an integer \(range), got '\(text)'")
        }
        return value
    }
}
