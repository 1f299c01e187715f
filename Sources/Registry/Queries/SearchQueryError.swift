/// Why a search text is refused; each says which limit and what was given, for a 400 answer.
public enum SearchQueryError: Error, CustomStringConvertible, Equatable, Sendable {
    case textTooLong(characters: Int)
    case tooManyWords(count: Int)

    public var description: String {
        switch self {
        case let .textTooLong(characters):
            "the query is \(characters) characters long; at most \(SearchQuery.maximumTextLength) are searched: use fewer or shorter words"
        case let .tooManyWords(count):
            "the query has \(count) words; at most \(SearchQuery.maximumWords) are searched: use fewer words"
        }
    }
}
