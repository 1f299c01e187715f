import Basics
import Testing

@Suite struct PrintableTextTests {
    @Test func printableTextComesBackAsItWas() {
        #expect(PrintableText.escaping("GET /ports/600 200") == "GET /ports/600 200")
        #expect(PrintableText.escaping("Größe — ok ✓") == "Größe — ok ✓")
    }

    @Test(arguments: [
        ("a\nb", "a\\nb"), ("a\r\nb", "a\\r\\nb"), ("a\tb", "a\\tb"), ("\u{1B}[31mred", "\\u{1B}[31mred"),
        ("nul\u{0}", "nul\\u{0}"), ("del\u{7F}", "del\\u{7F}"), ("csi\u{9B}2J", "csi\\u{9B}2J"),
        ("rtl\u{202E}gnp.exe", "rtl\\u{202E}gnp.exe"), ("\u{2066}isolate\u{2069}", "\\u{2066}isolate\\u{2069}"),
        ("mark\u{200F}\u{61C}", "mark\\u{200F}\\u{61C}"),
    ])
    func controlAndBidiCharactersBecomeEscapes(text: String, escaped: String) {
        #expect(PrintableText.escaping(text) == escaped)
    }

    @Test func aForgedLogLineStaysOnItsLine() {
        let forged = "svc\n2026-12-07T00:00:00+0000 critical portinfo: [portinfo] forged"
        #expect(!PrintableText.escaping(forged).contains("\n"))
    }

    @Test func anExcerptIsShortAndEscaped() {
        #expect(PrintableText.excerpt("short") == "short")
        #expect(PrintableText.excerpt(String(repeating: "x", count: 32)) == String(repeating: "x", count: 32))
        #expect(PrintableText.excerpt(String(repeating: "x", count: 33)) == String(repeating: "x", count: 32) + "…")
        #expect(PrintableText.excerpt("a\u{1B}b", limit: 2) == "a\\u{1B}…")
    }

    @Test func textIsValidUTF8WithoutNUL() {
        #expect(PrintableText.isText(Array("Service Name,Port\n".utf8)))
        #expect(!PrintableText.isText(Array("HOME=/root\0TOKEN=x\0".utf8)))
        #expect(!PrintableText.isText([0x53, 0xE9, 0x0A]))
    }
}
