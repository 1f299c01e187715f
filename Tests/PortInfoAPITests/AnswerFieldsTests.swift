import HTTPServer
import PortInfoAPI
import Testing
import TestSupport

/// What every answer tells caches and browsers about itself, errors included: that it is the
/// type it says (`nosniff`).
@Suite struct AnswerFieldsTests {
    static let nineWords = "/?q=" + Array(repeating: "word", count: 9).joined(separator: "+")

    /// Each route's answers and refusals, and paths that are none.
    static let targets = ["/ports/600", "/ports/600?format=json", "/ports/70000", "/ports/080", "/ports/600?transport=x",
                          "/ports/600?format=xml", "/services/ftp", "/services/nosuch", "/services/%FF", "/search?q=ftp", "/search",
                          "/search?q=ftp&limit=0", "/nowhere", "/ports/600/tcp", "/", "/?q=600", "/?q=%FF", nineWords, "/registry",
                          "/registry/changes", "/registry/changes?limit=0", "/healthz", "/openapi.yaml", "/widget.js", "/listeners"]

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
