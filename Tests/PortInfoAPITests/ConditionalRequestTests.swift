import HTTPServer
import PortInfoAPI
import Testing
import TestSupport

@Suite struct ConditionalRequestTests {
    /// The answers made of the registry's records; `/registry`, which also tells when the
    /// database was seeded, has a tag of its own.
    let registryAnswers = ["/ports/600", "/ports/600?transport=udp", "/services/ftp", "/search?q=ftp"]

    @Test func registryAnswersShareOneStrongTagPerFormat() throws {
        let (api, _) = try trapsAPI()
        let tags = Set(registryAnswers.map { api.get($0).headers["ETag"] })
        #expect(tags.count == 1)
        let tag = try #require(tags.first.flatMap { $0 })
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && !tag.hasPrefix("W/"))
        let prettyTag = api.get("/ports/600?pretty").headers["ETag"]
        #expect(prettyTag != nil && prettyTag != tag)
        #expect(Set(registryAnswers.map { api.get($0 + ($0.contains("?") ? "&" : "?") + "pretty").headers["ETag"] }) == [prettyTag])
        let registryTag = try #require(api.get("/registry").headers["ETag"])
        #expect(registryTag != tag && registryTag.hasPrefix("\"") && !registryTag.hasPrefix("W/"))
    }

    @Test func tagsComeFromTheDataServedNotFromWhenItWasSeeded() throws {
        let (first, _) = try trapsAPI()
        let (second, _) = try trapsAPI()
        for target in registryAnswers {
            #expect(first.get(target).headers["ETag"] == second.get(target).headers["ETag"], "\(target)")
        }
        let folder = TemporaryDirectory()
        let other = try PortInfoAPI(configuration: APIConfiguration(
            databasePath: try seededDatabase(trapsCSV + "newsvc,7000,tcp,New service,,,2026-01,,,,,\n", in: folder)))
        #expect(other.get("/ports/600").headers["ETag"] != first.get("/ports/600").headers["ETag"])
    }

    @Test func aMatchingIfNoneMatchIsA304WithTheTagAndNoBody() throws {
        let (api, _) = try trapsAPI()
        let tag = try #require(api.get("/ports/600").headers["ETag"])
        let registryTag = try #require(api.get("/registry").headers["ETag"])
        for (target, tag) in registryAnswers.map({ ($0, tag) }) + [("/registry", registryTag)] {
            for method in ["GET", "HEAD"] {
                let response = api.get(target, method: method, headers: [("If-None-Match", tag)])
                #expect(response.status == 304, "\(method) \(target)")
                #expect(response.body.isEmpty)
                #expect(response.headers["ETag"] == tag)
                #expect(response.headers["Cache-Control"] == "public, max-age=3600")
                #expect(response.headers["Content-Type"] == nil)
                #expect(response.headers["Access-Control-Allow-Origin"] == "*")
            }
        }
    }

    @Test func listsStarsAndWeakTagsMatchAndOthersDoNot() throws {
        let (api, _) = try trapsAPI()
        let tag = try #require(api.get("/ports/600").headers["ETag"])
        let status = { (fields: [String]) in
            api.get("/ports/600", headers: fields.map { ("If-None-Match", $0) }).status
        }
        #expect(status(["*"]) == 304)
        #expect(status(["W/\(tag)"]) == 304)
        #expect(status(["\"other\", \(tag)"]) == 304)
        #expect(status(["\"a\",W/\"b\" ,  \(tag) , \"c\""]) == 304)
        #expect(status(["\"other\"", tag]) == 304)
        #expect(api.get("/ports/600", headers: [("if-none-match", tag)]).status == 304)
        #expect(status(["\"other\""]) == 200)
        #expect(status([String(tag.dropFirst().dropLast())]) == 200)
        #expect(status(["\"a,b\", \"c\""]) == 200)
        #expect(status(["garbage \(tag)"]) == 200)
        #expect(status([""]) == 200)
        let prettyTag = try #require(api.get("/ports/600?pretty").headers["ETag"])
        #expect(status([prettyTag]) == 200)
        #expect(api.get("/ports/600?pretty", headers: [("If-None-Match", prettyTag)]).status == 304)
    }

    @Test func errorsAndOperationsIgnoreIfNoneMatch() throws {
        let (api, _) = try trapsAPI()
        for target in ["/ports/abc", "/services/nosuch", "/search", "/nowhere", "/healthz", "/openapi.yaml"] {
            #expect(api.get(target, headers: [("If-None-Match", "*")]).status != 304, "\(target)")
        }
        #expect(api.get("/ports/080", headers: [("If-None-Match", "*")]).status == 301)
    }

    @Test func aSeedOfOtherDataChangesEveryTag() throws {
        let folder = TemporaryDirectory()
        let before = try PortInfoAPI(configuration: APIConfiguration(databasePath: seededDatabase(trapsCSV, in: folder, name: "a.db")))
        let edited = trapsCSV.replacingOccurrences(of: "Sun IPC server", with: "Sun IPC server (renamed)")
        let after = try PortInfoAPI(configuration: APIConfiguration(databasePath: seededDatabase(edited, in: folder, name: "b.db")))
        for target in registryAnswers + ["/ports/600?pretty"] {
            let old = try #require(before.get(target).headers["ETag"])
            let new = try #require(after.get(target).headers["ETag"])
            #expect(old != new, "\(target)")
            #expect(after.get(target, headers: [("If-None-Match", old)]).status == 200)
            #expect(after.get(target, headers: [("If-None-Match", new)]).status == 304)
        }
        #expect(after.get("/ports/600").records.first?["description"] as? String == "Sun IPC server (renamed)")
    }
}
