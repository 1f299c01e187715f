import HTTPServer
import Testing

@Suite struct HTTPQueryTests {
    @Test func readsFormEncodedPairs() throws {
        let query = HTTPQuery("q=a+b%26c&limit=5&flag&empty=&%71uoted=yes&&x=%zz")
        #expect(try query.value("q") == "a b&c")
        #expect(try query.value("limit") == "5")
        #expect(try query.value("flag") == "")
        #expect(try query.value("empty") == "")
        #expect(try query.value("quoted") == "yes")
        #expect(try query.value("missing") == nil)
        #expect(query.contains("flag") && !query.contains("missing"))
    }

    @Test func theFirstOfRepeatedParametersCounts() throws {
        #expect(try HTTPQuery("q=first&q=second").value("q") == "first")
        #expect(try HTTPQuery("q&q=second").value("q") == "")
    }

    @Test func onlyAParameterThatIsReadCanFail() throws {
        let query = HTTPQuery("x=%zz&q=ok&%zz=1")
        #expect(try query.value("q") == "ok")
        #expect(throws: HTTPQuery.InvalidEncoding.self) { try query.value("x") }
    }

    @Test func anEmptyPairIsNoParameter() throws {
        // Found by fuzzing (scripts/fuzz.sh query-parameters): `&&` was read as a parameter named "".
        #expect(!HTTPQuery("q=1&&x").contains(""))
        #expect(!HTTPQuery("&").contains(""))
        #expect(try HTTPQuery("&&=x").value("") == "x")
    }

    @Test func aNameMatchesByItsBytesNotByCanonicalEquivalence() throws {
        // Found with the query-parameters fuzz harness: U+212A KELVIN SIGN is canonically equivalent to `K`.
        #expect(!HTTPQuery("%E2%84%AA=1").contains("K"))
        #expect(try HTTPQuery("%E2%84%AA=1&K=2").value("K") == "2")
        #expect(try HTTPQuery("caf%C3%A9=1").value("café") == "1")
    }

    @Test func noQueryHasNoParameters() throws {
        #expect(try HTTPQuery(nil).value("q") == nil)
        #expect(!HTTPQuery("").contains(""))
    }
}
