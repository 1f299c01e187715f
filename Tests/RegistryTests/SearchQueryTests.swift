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
        // Compared as the bytes FTS5 compares: a precomposed é is not the start of "e" + a combining accent.
        #expect(try SearchQuery("\u{E9}t e\u{301}t").words == ["\u{E9}t", "e\u{301}t"])
    }

    @Test func textWithoutWordsSearchesNothing() throws {
        #expect(try SearchQuery("\" *( ) + -").words.isEmpty)
        #expect(try SearchQuery("+++").ftsQuery == nil)
        #expect(try SearchQuery("a\"b").ftsQuery == #""a"* "b"*"#)
    }

    @Test func theTextIsCappedInBytesAtTheEdge() throws {
        let longest = String(repeating: "ab ", count: SearchQuery.maximumTextBytes / 3) + String(repeating: "x", count: SearchQuery.maximumTextBytes % 3)
        #expect(longest.utf8.count == SearchQuery.maximumTextBytes)
        #expect(try SearchQuery(longest).words == ["ab", "x"])
        #expect(throws: SearchQueryError.textTooLong(bytes: SearchQuery.maximumTextBytes + 1)) { try SearchQuery(longest + "y") }
        // Bytes, not characters: each é is two.
        let accented = String(repeating: "é", count: SearchQuery.maximumTextBytes / 2 + 1)
        #expect(throws: SearchQueryError.textTooLong(bytes: SearchQuery.maximumTextBytes + 2)) { try SearchQuery(accented) }
        #expect(SearchQueryError.textTooLong(bytes: 1999).description
            == "the query is 1999 bytes long; at most 256 are searched: use fewer or shorter words")
    }

    @Test func distinctWordsAreCappedAtTheEdge() throws {
        let letters = "abcdefghijklmnopqrstuvwxyz".map(String.init)
        let most = letters.prefix(SearchQuery.maximumWords)
        #expect(try SearchQuery(most.joined(separator: " ")).words == Array(most))
        // Repeats and words that start another do not count.
        #expect(try SearchQuery((most + most.map { $0 + $0 } + ["a", "A"]).joined(separator: " ")).words.count == SearchQuery.maximumWords)
        let tooMany = letters.prefix(SearchQuery.maximumWords + 1).joined(separator: " ")
        #expect(throws: SearchQueryError.tooManyWords(count: SearchQuery.maximumWords + 1)) { try SearchQuery(tooMany) }
        #expect(SearchQueryError.tooManyWords(count: 14).description
            == "the query has 14 distinct words; at most 8 are searched: use fewer words")
    }

    @Test func aThousandWordsAreRefusedBeforeAnyIsSearched() {
        // The query that took 17-27 s of CPU: one prefix term per word.
        let words = Array(repeating: "a", count: 1000).joined(separator: " ")
        #expect(throws: SearchQueryError.textTooLong(bytes: 1999)) { try SearchQuery(words) }
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
