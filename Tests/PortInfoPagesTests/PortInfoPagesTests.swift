@testable import PortInfoPages
import Registry
import Testing
import TestSupport

@Suite struct HTMLWriterTests {
    @Test func dataIsTextEverywhereItGoes() {
        var html = HTMLWriter()
        html.element("p", ["title": #"a "quoted" <b> & 'x'"#], text: "u=<username> & p=<password>")
        #expect(String(decoding: html.bytes, as: UTF8.self)
            == #"<p title="a &quot;quoted&quot; &lt;b&gt; &amp; &#39;x&#39;">u=&lt;username&gt; &amp; p=&lt;password&gt;</p>"#)
    }

    @Test(arguments: [
        ("https://kafka.apache.org/quickstart", true), ("HTTPS://EXAMPLE.COM/", true), ("Http://example.com", true), ("/ports/600", true),
        ("/", true), ("/search?q=a&offset=20", true),
        ("javascript:alert(1)", false), ("JavaScript:alert(1)", false), (" javascript:alert(1)", false), ("java\tscript:alert(1)", false),
        ("data:text/html,x", false), ("vbscript:x", false), ("mailto:a@example.com", false), ("ftp://example.com/", false),
        ("//evil.example/", false), ("/\\evil.example/", false), ("/\t/evil.example", false), ("https:evil.example", false),
        ("http:/evil.example", false), ("https://a b", false), ("ports/600", false), ("", false),
    ])
    func onlyHTTPURLsAndThisServersPathsBecomeLinks(href: String, isLink: Bool) {
        var html = HTMLWriter()
        html.link(href, text: "vendor")
        #expect(String(decoding: html.bytes, as: UTF8.self) == (isLink ? #"<a href="\#(href.replacingOccurrences(of: "&", with: "&amp;"))">vendor</a>"# : "vendor"))
    }

    @Test func controlsAreShownNotObeyedAndTheirNeighboursPassAsTheyAre() {
        let controls = "\u{0}\u{1}\u{8}\u{B}\u{C}\u{E}\u{1F}\u{7F}\u{200E}\u{200F}\u{61C}\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}"
            + "\u{2066}\u{2067}\u{2068}\u{2069}"
        let shown = "[U+0000][U+0001][U+0008][U+000B][U+000C][U+000E][U+001F][U+007F][U+200E][U+200F][U+061C][U+202A][U+202B]"
            + "[U+202C][U+202D][U+202E][U+2066][U+2067][U+2068][U+2069]"
        // Tab and line breaks, and the scalars beside the controls in UTF-8, are text like any other.
        let neighbours = "\t\n\r \u{200D}\u{2010}\u{2029}\u{202F}\u{2065}\u{206A}\u{61B}\u{61D}\u{E9}\u{1F600}"
        var html = HTMLWriter()
        html.element("p", ["title": "rtl\u{202E}gnp.exe"], text: "a" + controls + neighbours + "<z>")
        html.text(("x\u{202E}y" as String).dropFirst())
        #expect(String(decoding: html.bytes, as: UTF8.self)
            == #"<p title="rtl[U+202E]gnp.exe">a"# + shown + neighbours + "&lt;z&gt;</p>[U+202E]y")
    }

    /// What the README says the pages and the widget are served with is what the server sends, hash and all.
    @Test func theREADMEStatesThePoliciesAsTheyAreSent() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for policy in [PageStyle.contentSecurityPolicy, Widget.contentSecurityPolicy] {
            #expect(readme.contains("`Content-Security-Policy: \(policy)`"), "README.md should state: Content-Security-Policy: \(policy)")
        }
    }

    @Test func pathSegmentsAreEncodedWhole() {
        #expect(PathSegment.encoded("cl/1") == "cl%2F1")
        #expect(PathSegment.encoded("whois++") == "whois%2B%2B")
        #expect(PathSegment.encoded("sql*net") == "sql%2Anet")
        #expect(PathSegment.encoded("ipcserver") == "ipcserver")
    }

    @Test func theStylesheetHashIsRFC4648Base64OfItsSHA256() {
        #expect(Base64.encode(hex: "") == "")
        #expect(Base64.encode(hex: "66") == "Zg==")
        #expect(Base64.encode(hex: "666f6f62") == "Zm9vYg==")
        #expect(Base64.encode(hex: "666f6f626172") == "Zm9vYmFy")
        #expect(PageStyle.contentSecurityPolicy.contains("style-src 'sha256-"))
    }
}

@Suite struct ServiceGroupTests {
    func record(_ service: String, _ port: Int, _ transport: Record.Transport, _ description: String, assignee: String = "[A]") throws -> Record {
        let row = try IANARow(CSVRecord(line: 2, fields: [service, "\(port)", transport.rawValue, description, assignee, assignee,
                                                           "", "", "", "", "", ""]))
        return Record(row, source: .iana)
    }

    @Test func transportsOfOneServiceMergeAndDifferingDetailsStayBesideIt() throws {
        let groups = ServiceGroup.grouping([
            try record("ftp", 21, .tcp, "File Transfer"), try record("ftp", 21, .udp, "File Transfer"),
            try record("ftp", 21, .sctp, "FTP", assignee: "[B]"), try record("ftps", 990, .tcp, "FTP over TLS"),
        ])
        #expect(groups.map(\.name) == ["ftp", "ftps"])
        #expect(groups[0].transportText == "TCP, UDP and SCTP")
        #expect(groups[0].variants.map(\.transport) == [.sctp])
        #expect(groups[1].transportText == "TCP" && groups[1].variants.isEmpty)
    }

    @Test func theOneLineAnswerNamesTheServiceItsDescriptionAndTransports() throws {
        let groups = ServiceGroup.grouping([try record("ipcserver", 600, .tcp, "Sun IPC server"), try record("ipcserver", 600, .udp, "Sun IPC server")])
        #expect(PortPage.answer(port: 600, status: .assigned, groups: groups)
            == "Port 600 is assigned to ipcserver — Sun IPC server — for TCP and UDP.")
        #expect(PortPage.answer(port: 65535, status: .unassigned, groups: [])
            == "Port 65535 is in the dynamic range: IANA never assigns it to a service.")
        #expect(PortPage.answer(port: 4, status: .unassigned, groups: []) == "Port 4 is not assigned to any service by IANA.")
        #expect(PortPage.answer(port: 0, status: .reserved, groups: []) == "Port 0 is reserved by IANA: not assigned to any service.")
    }
}
