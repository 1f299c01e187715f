import HTTPServer
import PortInfoAPI
import Testing
import TestSupport

/// What every answer tells caches and browsers about itself, errors included: the request fields
/// that chose it (`Vary`), whether it may be kept (`Cache-Control`), and that it is the type it
/// says (`nosniff`).
@Suite struct AnswerFieldsTests {
    static let nineWords = "/?q=" + Array(repeating: "word", count: 9).joined(separator: "+")

    /// Each route's answers and refusals, and paths that are none.
    static let targets = ["/ports/600", "/ports/600?format=json", "/ports/70000", "/ports/080", "/ports/600?transport=x",
                          "/ports/600?format=xml", "/services/ftp", "/services/nosuch", "/services/%FF", "/search?q=ftp", "/search",
                          "/search?q=ftp&limit=0", "/nowhere", "/ports/600/tcp", "/", "/?q=600", "/?q=%FF", nineWords, "/registry",
                          "/registry/changes", "/registry/changes?limit=0", "/healthz", "/openapi.yaml", "/widget.js", "/listeners"]

    static let refusals = ["/ports/70000", "/ports/600?transport=x", "/ports/600?format=xml", "/services/nosuch", "/services/%FF",
                           "/search", "/search?q=ftp&limit=0", "/nowhere", "/ports/600/tcp", "/?q=%FF", nineWords,
                           "/registry/changes?limit=0", "/listeners"]

    @Test(arguments: targets)
    func anAnswerWhoseFormAcceptChoseNamesAcceptInVary(target: String) throws {
        let (api, _) = try trapsAPI()
        let page = api.get(target, headers: [("Accept", PagesTests.browser)])
        for accept in ["*/*", "application/json", ""] {
            let other = api.get(target, headers: accept.isEmpty ? [] : [("Accept", accept)])
            guard other.headers["Content-Type"] != page.headers["Content-Type"] else { continue }
            for answer in [page, other] {
                let vary = answer.headers.values("Vary").flatMap { HTTPSyntax.commaSeparated($0) }
                #expect(vary.contains("Accept"), "\(target): \(answer.status) \(answer.headers["Content-Type"] ?? "") says Vary \(vary)")
            }
        }
    }

    @Test(arguments: refusals)
    func aRefusalIsNeverStored(target: String) throws {
        let (api, _) = try trapsAPI()
        for accept in [PagesTests.browser, "*/*"] {
            let refused = api.get(target, headers: [("Accept", accept)])
            #expect(refused.status >= 400 && refused.headers.values("Cache-Control") == ["no-store"],
                    "\(target) for \(accept): \(refused.status), Cache-Control \(refused.headers.values("Cache-Control"))")
        }
        #expect(api.get(target, method: "DELETE").headers.values("Cache-Control") == ["no-store"], "405")
    }

    @Test(arguments: targets)
    func everyAnswerSaysNosniff(target: String) throws {
        let (api, _) = try trapsAPI()
        var answers = [api.get(target), api.get(target, headers: [("Accept", PagesTests.browser)]), api.get(target, method: "HEAD"),
                       api.get(target, method: "OPTIONS"), api.get(target, method: "POST")]
        if let tag = answers[0].headers["ETag"] {
            let notModified = api.get(target, headers: [("If-None-Match", tag)])
            #expect(notModified.status == 304)
            answers.append(notModified)
        }
        for answer in answers {
            #expect(answer.headers.values("X-Content-Type-Options") == ["nosniff"], "\(target): \(answer.status)")
        }
    }
}
