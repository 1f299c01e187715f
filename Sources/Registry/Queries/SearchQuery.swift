/// The words of a full-text search, parsed once and bounded: what `RegistryStore.search` runs.
///
/// Words are what ASCII spaces, punctuation and controls separate, lower-cased; each is searched
/// as an FTS5 phrase whose last token may be a prefix ("sun-rpc" is two words, "sun·rpc" one
/// phrase). Every word must match, so a repeated word, or one that starts another word of the
/// query ("sun" beside "sunrpc"), matches nothing more and is not searched; nor is one without a
/// letter or number, which would match nothing. The text is capped in length and in words as
/// written: each word is a prefix term FTS5 expands over its whole vocabulary, so their number,
/// not the records, bounds a search's cost (RegistryStore's cost model has the figures). Both
/// caps are ones openapi.yaml states exactly (a `maxLength` and an ASCII-only `pattern`), so that
/// what the schema accepts the server accepts, whatever Unicode version either side knows.
public struct SearchQuery: Equatable, Sendable {
    /// The longest query text accepted, in characters (Unicode scalars, as JSON Schema counts a
    /// string's length): room for a pasted description of a few words, far more than any
    /// service name (IANA caps those at 15 characters).
    public static let maximumTextLength = 256
    /// The most words a query may have, repeats included. Single letters are the dearest words
    /// (`s` expands to every term starting with s); eight of them cost about what one does.
    public static let maximumWords = 8

    /// The text as given.
    public let text: String
    /// The words searched: distinct, lower-cased, with a letter or number, none the start of
    /// another, in the order given.
    public let words: [String]
    /// Every word with a letter or number, lower-cased, as written (repeats kept): what names
    /// and phrases are compared with.
    let written: [String]

    public init(_ text: String) throws(SearchQueryError) {
        let length = text.unicodeScalars.count
        guard length <= Self.maximumTextLength else { throw .textTooLong(characters: length) }
        let written = Self.words(of: text)
        guard written.count <= Self.maximumWords else { throw .tooManyWords(count: written.count) }
        var distinct: [String] = []
        for word in written where Self.isSearchable(word) && !distinct.contains(where: { $0.utf8.elementsEqual(word.utf8) }) {
            distinct.append(word)
        }
        // Compared as bytes, as FTS5 compares terms: a byte prefix is a prefix term FTS5 implies.
        words = distinct.filter { word in
            !distinct.contains { other in other.utf8.count > word.utf8.count && other.utf8.starts(with: word.utf8) }
        }
        self.written = written.filter(Self.isSearchable)
        self.text = text
    }

    /// A name as search compares it with a query's words run together: lower-cased, without the
    /// separators between words (`Sun-RPC` and `sun rpc` are both `sunrpc`).
    public static func joined(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.filter { !isSeparator($0) })).lowercased()
    }

    /// The text as a service name: lower-cased, without the spaces around it.
    var serviceName: String {
        var name = Substring(text)
        while name.first?.isWhitespace == true { name.removeFirst() }
        while name.last?.isWhitespace == true { name.removeLast() }
        return name.lowercased()
    }

    /// The words run together, as `joined` writes a name.
    var joinedWords: String { written.joined() }

    /// The words' initials when there are two or more: `network file system` -> `nfs`.
    var initials: String? {
        written.count < 2 ? nil : String(written.compactMap(\.first))
    }

    /// The words as one FTS5 phrase of whole words, in the order written: nil when there are none.
    var ftsPhrase: String? {
        written.isEmpty ? nil : "\"" + written.joined(separator: " ") + "\""
    }

    /// The runs of `text` between separators, lower-cased.
    private static func words(of text: String) -> [String] {
        text.unicodeScalars.split(whereSeparator: isSeparator).map { String(String.UnicodeScalarView($0)).lowercased() }
    }

    /// An ASCII character that is neither a letter nor a digit: a space, punctuation, a control.
    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && !(scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
    }

    /// Whether a word holds something the search index keeps: a letter or a number.
    private static func isSearchable(_ word: String) -> Bool {
        word.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }

    /// The words as an FTS5 query: each a quoted phrase whose last token is a prefix, all
    /// required; nil when there are none. Quoting keeps FTS5 syntax (AND, NEAR, `*`) literal;
    /// words hold no `"` (it separates them).
    var ftsQuery: String? {
        words.isEmpty ? nil : words.map { "\"\($0)\"*" }.joined(separator: " ")
    }
}
