import Basics
import Testing

@Suite struct PercentDecodingTests {
    @Test(arguments: [
        ("whois%2B%2B", false, "whois++"),
        ("whois++", false, "whois++"),
        ("a+b%20c", true, "a b c"),
        ("a%2Bb", true, "a+b"),
        ("cl%2f1", false, "cl/1"),
        ("caf%C3%A9", false, "café"),
        ("%00", false, "\u{0}"),
        ("", false, ""),
        ("plain", true, "plain"),
    ])
    func decodes(encoded: String, plusIsSpace: Bool, decoded: String) {
        #expect(String(percentDecoding: encoded[...], plusIsSpace: plusIsSpace) == decoded)
    }

    @Test(arguments: ["%", "%2", "%zz", "%2G", "abc%", "%FF", "caf%E9", "%C3", "%ED%A0%80"])
    func refusesBrokenEscapesAndBytesThatAreNotUTF8(encoded: String) {
        #expect(String(percentDecoding: encoded[...], plusIsSpace: true) == nil)
    }
}
