/// The words of a full-text search, parsed once and bounded: what `RegistryStore.search` runs.
///
/// Words are runs of letters and numbers, lower-cased. Every word must match the start of a word
/// of a record, so a repeated word, or one that starts another word of the query ("sun" beside
/// "sunrpc"), matches nothing more and is dropped. What is left is capped: each word is a prefix
/// term FTS5 expands over its whole vocabulary, so their number, not the records, bounds a
/// search's cost (RegistryStore's cost model has the figures).
public struct SearchQuery: Equatable, Sendable {
    /// The longest query text accepted, in UTF-8 bytes: room for a pasted description of a few
    /// words, far more than any service name (IANA caps those at 15 characters).
    public static let maximumTextBytes = 256
    /// The most distinct words searched. Single letters are the dearest words (`s` expands to
    /// every term starting with s); eight of them cost about what one does.
    public static let maximumWords = 8

    /// The text as given.
    public let text: String
    /// The distinct words searched, lower-cased, none the start of another, in the order given.
    public let words: [String]

    public init(_ text: String) throws(SearchQueryError) {
        let bytes = text.utf8.count
        guard bytes <= Self.maximumTextBytes else { throw .textTooLong(bytes: bytes) }
        var distinct: [String] = []
        for word in text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) {
            let folded = word.lowercased()
            if !distinct.contains(where: { $0.utf8.elementsEqual(folded.utf8) }) { distinct.append(folded) }
        }
        // Compared as bytes, as FTS5 compares terms: a byte prefix is a prefix term FTS5 implies.
        let words = distinct.filter { word in
            !distinct.contains { other in other.utf8.count > word.utf8.count && other.utf8.starts(with: word.utf8) }
        }
        guard words.count <= Self.maximumWords else { throw .tooManyWords(count: words.count) }
        self.text = text
        self.words = words
    }

    /// The words as an FTS5 query: each a quoted prefix term, all required; nil when there are
    /// none. Quoting keeps FTS5 syntax (AND, NEAR, `*`) literal; words hold no `"`.
    var ftsQuery: String? {
        words.isEmpty ? nil : words.map { "\"\($0)\"*" }.joined(separator: " ")
    }
}
