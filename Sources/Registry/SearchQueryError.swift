/// Why a search text is refused; each says which limit and what was given, for a 400 answer.
public enum SearchQueryError: Error, CustomStringConvertible, Equatable, Sendable {
    case textTooLong(bytes: Int)
    case tooManyWords(count: Int)

    public var description: String {
        switch self {
        case let .textTooLong(bytes):
            "the query is \(bytes) bytes long; at most \(SearchQuery.maximumTextBytes) are searched: use fewer or shorter words"
        case let .tooManyWords(count):
            "the query has \(count) distinct words; at most \(SearchQuery.maximumWords) are searched: use fewer words"
        }
    }
}
