import Foundation
import HTTPServer
import HostState
import PortInfoAPI
import Registry
import Testing
import TestSupport

/// Pages for browsers beside JSON for everyone else, on the same addresses.
@Suite struct PagesTests {
    static let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

    @Test(arguments: [
        (browser, "text/html; charset=utf-8"),
        ("text/html", "text/html; charset=utf-8"),
        ("text/*;q=0.9, application/json;q=0.5", "text/html; charset=utf-8"),
        ("*/*", "application/json"),
        ("", "application/json"),
        ("application/json, text/html", "application/json"),
        ("text/html;q=0.5, application/json", "application/json"),
        ("text/html;q=0.5, */*;q=0.5", "application/json"),
        ("application/*, text/html;q=0.9", "application/json"),
    ])
    func acceptDecidesAndATieIsJSON(accept: String, contentType: String) throws {
        let (api, _) = try trapsAPI()
        for target in ["/ports/600", "/services/ftp", "/search?q=ftp"] {
            let response = api.get(target, headers: accept.isEmpty ? [] : [("Accept", accept)])
            #expect(response.status == 200 && response.headers["Content-Type"] == contentType, "\(target) for \(accept)")
            #expect(response.headers["Vary"] == "Accept")
        }
    }

    @Test func formatOverridesAcceptAndAnyOtherIsA400() throws {
        let (api, _) = try trapsAPI()
        #expect(api.get("/ports/600?format=html").headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(api.get("/ports/600?format=json", headers: [("Accept", Self.browser)]).headers["Content-Type"] == "application/json")
        let refused = api.get("/ports/600?format=xml", headers: [("Accept", Self.browser)])
        #expect(refused.status == 400 && refused.headers["Content-Type"] == "application/problem+json")
        #expect(refused.detail == "query parameter 'format' must be json or html, got 'xml'")
    }

    @Test func aPageHasItsOwnTagA304AndAStrictPolicy() throws {
        let (api, _) = try trapsAPI()
        let json = api.get("/ports/600"), page = api.get("/ports/600", headers: [("Accept", Self.browser)])
        let tag = try #require(page.headers["ETag"])
        #expect(tag != json.headers["ETag"] && tag.hasSuffix("-html\""))
        #expect(page.headers["Cache-Control"] == "public, max-age=3600")
        let policy = try #require(page.headers["Content-Security-Policy"])
        #expect(policy.hasPrefix("default-src 'none'; style-src 'sha256-") && !policy.contains("script-src"))
        #expect(json.headers["Content-Security-Policy"] == nil)
        let again = api.get("/ports/600", headers: [("Accept", Self.browser), ("If-None-Match", tag)])
        #expect(again.status == 304 && again.body.isEmpty)
        #expect(api.get("/ports/600", headers: [("If-None-Match", tag)]).status == 200, "the JSON is another representation")
    }

    @Test func thePortPageSaysWhatTheRegistrySaysAndEscapesItsText() throws {
        let (api, _) = try trapsAPI()
        let page = api.get("/ports/600?format=html").text
        #expect(page.contains("Port 600 is assigned to ipcserver — Sun IPC server — for TCP and UDP."))
        #expect(page.contains("<strong>System port</strong> (range 0–1023)"))
        #expect(page.contains("ss -ltnp &#39;sport = :600&#39;") && page.contains("Get-NetTCPConnection -LocalPort 600"))
        #expect(page.contains(#"<a href="/ports/599">"#) && page.contains(#"<a href="/ports/601">"#))
        let ftp = api.get("/ports/21?format=html").text
        #expect(ftp.contains("u=&lt;username&gt; p=&lt;password&gt; path=&lt;path&gt;"))
        #expect(!ftp.contains("<username>"))
        #expect(ftp.contains(#"<a href="https://www.rfc-editor.org/rfc/rfc959">RFC 959</a>"#))
        let x11 = api.get("/ports/6001?format=html").text
        #expect(x11.contains("Port 6001 is assigned to x11 (ports 6000–6063)"))
        #expect(x11.contains("Known Unauthorized Use on port 6003"))
        let dynamic = api.get("/ports/65535?format=html").text
        #expect(dynamic.contains("Port 65535 is in the dynamic range: IANA never assigns it to a service."))
        #expect(!dynamic.contains(#"href="/ports/65536""#))
    }

    /// A database whose known uses and everyday names hold `javascript:` URLs: their pages show
    /// the text alone, while the https URLs beside them stay links.
    @Test func aURLFromTheDataIsALinkOnlyWhenItIsHTTP() throws {
        let folder = TemporaryDirectory()
        let database = try seededDatabase(trapsCSV, in: folder)
        try Database(path: database, mode: .readWriteCreate).execute("""
            UPDATE known_uses SET url = 'javascript:alert(1)' WHERE port_first = 9092;
            UPDATE everyday_names SET source = ' JavaScript:alert(2)' WHERE port = 53
            """)
        let api = try PortInfoAPI(configuration: APIConfiguration(databasePath: database))
        for target in ["/ports/9092", "/ports/53", "/search?q=kafka"] {
            let page = api.get(target, headers: [("Accept", Self.browser)]).text
            #expect(!page.lowercased().contains("javascript:"), "\(target)")
        }
        let kafka = api.get("/ports/9092?format=html").text
        #expect(kafka.contains("</a>) — Apache Software Foundation</li>"))
        #expect(api.get("/ports/9093?format=html").text.contains(#"— <a href="https://kafka.apache.org/quickstart">Apache Software Foundation</a>"#))
        let dns = api.get("/ports/53?format=html").text
        #expect(dns.contains("<strong>dns</strong> (for domain, source)"))
        #expect(api.get("/ports/853?format=html").text.contains(#"(for domain-s, <a href="https://www.rfc-editor.org/rfc/rfc7858">source</a>)"#))
    }

    /// Bidi and other controls from the data, and NUL from the query, are shown, never obeyed: a
    /// site row named `rtl` U+202E `gnp.exe` does not read "rtlexe.png", nor does `/?q=` turn the
    /// heading. (A site file with a NUL is no text file, and refused whole.)
    @Test func controlsFromTheDataOrTheQueryAreShownNotObeyed() throws {
        let folder = TemporaryDirectory()
        let database = try seededDatabase(trapsCSV, in: folder)
        let site = folder.write("site.csv", """
            Service Name,Port Number,Transport Protocol,Description
            rtl\u{202E}gnp.exe,47001,tcp,the \u{2067}setup\u{2069} file\u{7}\u{9B}
            """ + "\n")
        let api = try PortInfoAPI(configuration: APIConfiguration(databasePath: database, sitePortsPath: site))
        let page = api.get("/ports/47001", headers: [("Accept", Self.browser)])
        #expect(page.text.contains(#"<a href="/services/rtl%E2%80%AEgnp.exe">rtl[U+202E]gnp.exe</a>"#))
        #expect(page.text.contains("the [U+2067]setup[U+2069] file[U+0007][U+009B]"))
        let lookup = api.get("/?q=%E2%80%AEgnp.exe+a%00b")
        #expect(lookup.text.contains("[U+202E]gnp.exe a[U+0000]b"))
        for answer in [page, lookup] {
            #expect(answer.status == 200 && !answer.text.unicodeScalars.contains { ["\u{202E}", "\u{2067}", "\u{2069}", "\u{0}", "\u{7}", "\u{9B}"].contains($0) })
        }
    }

    @Test func errorsAnswerABrowserWithAPage() throws {
        let (api, _) = try trapsAPI()
        let bad = api.get("/ports/70000", headers: [("Accept", Self.browser)])
        #expect(bad.status == 400 && bad.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(bad.text.contains("port must be an integer from 0 to 65535, got &#39;70000&#39;"))
        let unknown = api.get("/services/%3Cscript%3E", headers: [("Accept", Self.browser)])
        #expect(unknown.status == 404 && unknown.text.contains("no service is named &#39;&lt;script&gt;&#39;"))
        #expect(!unknown.text.contains("<script>"))
        let nowhere = api.get("/nowhere", headers: [("Accept", Self.browser)])
        #expect(nowhere.status == 404 && nowhere.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(api.get("/nowhere").headers["Content-Type"] == "application/problem+json")
    }

    @Test func theLookupPageAnswersItsQuery() throws {
        let (api, _) = try trapsAPI()
        let empty = api.get("/")
        #expect(empty.status == 200 && empty.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(empty.text.contains(#"<input type="search" name="q""#))
        let port = api.get("/?q=600").text
        #expect(port.contains("Port 600 is assigned to ipcserver") && port.contains(#"<a href="/ports/600">"#))
        let words = api.get("/?q=%3Cb%3Einjected%3C%2Fb%3E").text
        #expect(words.contains("&lt;b&gt;injected&lt;/b&gt;") && !words.contains("<b>injected"))
        let search = api.get("/?q=ipc").text
        #expect(search.contains(#"<a href="/services/ipcserver">ipcserver</a> on <a href="/ports/600">port 600</a> (TCP and UDP)"#))
        #expect(api.get("/?q=" + String(repeating: "a ", count: 9)).status == 400)
    }

    /// The lookup page is HTML for anyone (no Vary), but a query it refuses is a page only for a browser.
    @Test func aBadLookupIsAnErrorPageForABrowserAndAProblemForEveryoneElse() throws {
        let (api, _) = try trapsAPI()
        let nineWords = "/?q=" + Array(repeating: "word", count: 9).joined(separator: "+")
        let page = api.get(nineWords, headers: [("Accept", Self.browser)])
        #expect(page.status == 400 && page.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(page.text.contains("<h1>Invalid parameter</h1>") && page.text.contains("query parameter &#39;q&#39;"))
        #expect(page.headers["Vary"] == "Accept")
        for accept in ["", "*/*"] {
            let problem = api.get(nineWords, headers: accept.isEmpty ? [] : [("Accept", accept)])
            #expect(problem.status == 400 && problem.headers["Content-Type"] == "application/problem+json", "Accept \(accept)")
            #expect(problem.problemType == "https://portinfo.invalid/problems/invalid-parameter")
            #expect(problem.headers["Vary"] == "Accept")
        }
        for accept in ["", Self.browser] {
            let answered = api.get("/?q=600", headers: accept.isEmpty ? [] : [("Accept", accept)])
            #expect(answered.status == 200 && answered.headers["Content-Type"] == "text/html; charset=utf-8")
            #expect(answered.headers["Vary"] == nil)
        }
    }

    @Test func aSearchPageTakesEveryOffsetTheAPIDoes() throws {
        let (api, _) = try trapsAPI()
        for offset in ["0", "1", "9223372036854775806", "9223372036854775807"] {
            let page = api.get("/search?q=ftp&format=html&limit=100&offset=\(offset)")
            #expect(page.status == 200, "offset \(offset)")
        }
        #expect(api.get("/search?q=f&format=html&limit=1").text.contains("More results"))
    }

    @Test func theWidgetIsTheRepositorysFileWithATag() throws {
        let (api, _) = try trapsAPI()
        let widget = api.get("/widget.js")
        #expect(widget.status == 200 && widget.headers["Content-Type"] == "text/javascript; charset=utf-8")
        #expect(Data(widget.body) == (try Data(contentsOf: repositoryRoot.appendingPathComponent("assets/widget.js"))))
        let tag = try #require(widget.headers["ETag"])
        #expect(widget.headers["Cache-Control"] == "public, max-age=3600" && widget.headers["Access-Control-Allow-Origin"] == "*")
        #expect(api.get("/widget.js", headers: [("If-None-Match", tag)]).status == 304)
    }

    @Test(.needsProcNet)
    func aPageShowingThisHostsListenersIsNeverStored() throws {
        let (api, _) = try localAPI(LocalReporting(scanMaxAge: .zero))
        let listener = try #require(LoopbackSocket(.tcp, .ipv4))
        let page = api.handle(localRequest("/ports/\(listener.port)?format=html"))
        #expect(page.status == 200 && page.headers["Cache-Control"] == "no-store" && page.headers["ETag"] == nil)
        #expect(page.text.contains("<h2>Listening here</h2>") && page.text.contains("<td>127.0.0.1</td>"))
        withExtendedLifetime(listener) {}
    }
}
