@testable import Registry
import Testing
import TestSupport

@Suite struct SearchQueryTests {
    @Test func wordsAreFoldedDistinctAndNoneStartsAnother() throws {
        #expect(try SearchQuery("Sun IPC, sun-rpc!").words == ["sun", "ipc", "rpc"])
        #expect(try SearchQuery("s su SUN sunrpc x").words == ["sunrpc", "x"])
        #expect(try SearchQuery("sunrpc sun").words == ["sunrpc"])
        #expect(try SearchQuery("Café CAFÉ caf 2049").words == ["café", "2049"])
        #expect(try SearchQuery("sun").text == "sun")
    }

    @Test func textWithoutWordsSearchesNothing() throws {
        #expect(try SearchQuery("\" *( ) + -").words.isEmpty)
        #expect(try SearchQuery("+++").ftsQuery == nil)
        #expect(try SearchQuery("a\"b").ftsQuery == #""a"* "b"*"#)
    }

    @Test func theTextIsCappedInCharactersAtTheEdge() throws {
        let longest = "ab " + String(repeating: "x", count: SearchQuery.maximumTextLength - 3)
        #expect(longest.unicodeScalars.count == SearchQuery.maximumTextLength)
        #expect(try SearchQuery(longest).words == ["ab", String(repeating: "x", count: SearchQuery.maximumTextLength - 3)])
        #expect(throws: SearchQueryError.textTooLong(characters: SearchQuery.maximumTextLength + 1)) { try SearchQuery(longest + "y") }
        // Characters as JSON Schema counts them (scalars), not bytes: each é is two bytes, one character.
        let accented = String(repeating: "é", count: SearchQuery.maximumTextLength)
        #expect(try SearchQuery(accented).words.count == 1)
        #expect(throws: SearchQueryError.textTooLong(characters: SearchQuery.maximumTextLength + 1)) { try SearchQuery(accented + "é") }
        #expect(SearchQueryError.textTooLong(characters: 1999).description
            == "the query is 1999 characters long; at most 256 are searched: use fewer or shorter words")
    }

    @Test func wordsAsWrittenAreCappedAtTheEdge() throws {
        let letters = "abcdefghijklmnopqrstuvwxyz".map(String.init)
        let most = letters.prefix(SearchQuery.maximumWords)
        #expect(try SearchQuery(most.joined(separator: " ")).words == Array(most))
        // Repeats count as written (openapi.yaml's pattern counts them so), though only one is searched.
        #expect(try SearchQuery(Array(repeating: "s", count: SearchQuery.maximumWords).joined(separator: " ")).words == ["s"])
        #expect(throws: SearchQueryError.tooManyWords(count: SearchQuery.maximumWords + 1)) {
            try SearchQuery(Array(repeating: "s", count: SearchQuery.maximumWords + 1).joined(separator: " "))
        }
        let tooMany = letters.prefix(SearchQuery.maximumWords + 1).joined(separator: " ")
        #expect(throws: SearchQueryError.tooManyWords(count: SearchQuery.maximumWords + 1)) { try SearchQuery(tooMany) }
        #expect(SearchQueryError.tooManyWords(count: 14).description
            == "the query has 14 words; at most 8 are searched: use fewer words")
    }

    @Test func asciiSpacesPunctuationAndControlsSeparateWords() throws {
        #expect(try SearchQuery("ms_sql\tsun-rpc\u{0}x").words == ["ms", "sql", "sun", "rpc", "x"])
        // Anything else belongs to a word, searched as a phrase: "sun·rpc" is sun then rpc.
        #expect(try SearchQuery("sun\u{B7}rpc caf\u{E9} e\u{301}t").words == ["sun\u{B7}rpc", "caf\u{E9}", "e\u{301}t"])
        // A word with no letter or number would match nothing: it counts, but is not searched.
        #expect(try SearchQuery("\u{AB}\u{BB} http").words == ["http"])
        #expect(throws: SearchQueryError.tooManyWords(count: 9)) { try SearchQuery("a b c d e f g h \u{AB}\u{BB}") }
    }

    @Test func aPhraseWordMatchesItsTokensInOrder() throws {
        let (store, _) = try trapsStore()
        #expect(try store.search(SearchQuery("sun\u{B7}ipc")).records.map(\.service) == ["ipcserver", "ipcserver"])
        #expect(try store.search(SearchQuery("ipc\u{B7}sun")).total == 0)
        #expect(try store.search(SearchQuery("\u{AB}\u{BB}")).total == 0)
    }

    @Test func aThousandWordsAreRefusedBeforeAnyIsSearched() {
        // The query that took 17-27 s of CPU: one prefix term per word.
        let words = Array(repeating: "a", count: 1000).joined(separator: " ")
        #expect(throws: SearchQueryError.textTooLong(characters: 1999)) { try SearchQuery(words) }
    }

    @Test func droppedWordsChangeNoMatches() throws {
        let (store, _) = try trapsStore()
        for (full, kept) in [("s sun su", "sun"), ("whois w WHOIS wh", "whois"), ("historic h discovery d", "historic discovery")] {
            let query = try SearchQuery(full)
            #expect(query.words == kept.split(separator: " ").map(String.init))
            // Matched with every word as a term, as before the words were reduced.
            let everyWord = full.split(separator: " ").map { "\"\($0)\"*" }.joined(separator: " ")
            let statement = try store.database.prepare("SELECT rowid FROM records_fts WHERE records_fts MATCH ? ORDER BY rowid")
            try statement.bind(everyWord, at: 1)
            let expected = try statement.rows { $0.int(at: 0) }
            #expect(!expected.isEmpty)
            #expect(try store.search(query).total == expected.count)
        }
    }
}
