import Foundation
import HTTPServer
import PortInfoAPI
import Registry
import Testing
import TestSupport

@Suite struct FullRegistryAPITests {
    static let folder = TemporaryDirectory()
    static let api: PortInfoAPI = {
        let database = folder.path("full.db")
        _ = try! Seeder(targetPath: database).seed(.file(Snapshot.current))
        return try! PortInfoAPI(configuration: APIConfiguration(databasePath: database))
    }()

    @Test func portinfosOwnTablesShowBesideIANAsLabelledWithTheirSources() throws {
        let kafka = try #require(Self.api.get("/ports/9092").object)
        let uses = try #require(kafka["known_uses"] as? [[String: Any]])
        #expect(uses.contains { $0["product"] as? String == "Apache Kafka" && ($0["url"] as? String)?.hasPrefix("https://") == true })
        let dns = try #require(Self.api.get("/ports/53").object?["everyday_names"] as? [[String: Any]])
        #expect(dns.contains { $0["name"] as? String == "dns" && $0["service"] as? String == "domain" && $0["source"] is String })
        let search = try #require(Self.api.get("/search?q=kafka").object)
        #expect((search["known_uses"] as? [[String: Any]])?.first?["product"] as? String == "Apache Kafka")
        let page = Self.api.get("/ports/9092?format=html").text
        #expect(page.contains("Known uses <span class=\"label\">from vendor documentation, not IANA</span>"))
        #expect(page.contains("<strong>Apache Kafka</strong>"))
        let domain = Self.api.get("/ports/53?format=html").text
        #expect(domain.contains("Also called <strong>dns</strong> (for domain, "))
        let rdp = Self.api.get("/search?q=rdp&format=html").text
        #expect(rdp.contains(#"<a href="/services/ms-wbt-server">ms-wbt-server</a> on <a href="/ports/3389">port 3389</a>"#))
        #expect(rdp.contains("everyday name: rdp"))
    }

    @Test func answersTheWellKnownPorts() throws {
        let port600 = Self.api.get("/ports/600")
        #expect(port600.status == 200)
        #expect(port600.records.map { $0["service"] as? String } == ["ipcserver", "ipcserver"])
        #expect(port600.records.map { $0["transport"] as? String } == ["tcp", "udp"])
        #expect(port600.object?["status"] as? String == "assigned")

        let x11 = Self.api.get("/ports/6001").records.filter { $0["service"] as? String == "x11" }
        #expect(!x11.isEmpty && x11.allSatisfy { $0["ports"] as? [String: Int] == ["first": 6000, "last": 6063] })

        let names = Set(Self.api.get("/ports/63").records.compactMap { $0["service"] as? String })
        #expect(names.isSuperset(of: ["whoispp", "whois++"]))

        let zero = try #require(Self.api.get("/ports/0").object)
        #expect(zero["range"] as? String == "system" && zero["status"] as? String == "reserved")

        #expect(Self.api.get("/ports/65535").text == #"{"port":65535,"range":"dynamic","status":"unassigned","records":[],"related":[],"everyday_names":[],"known_uses":[]}"# + "\n")
    }

    @Test func answersNamesSearchesAndItsMetadata() throws {
        let whois = Self.api.get("/services/whois%2B%2B").records
        #expect(!whois.isEmpty && whois.allSatisfy { $0["service"] as? String == "whois++" })
        let search = try #require(Self.api.get("/search?q=sql&limit=5").object)
        #expect((search["total"] as? Int ?? 0) > 5 && (search["results"] as? [Any])?.count == 5)
        #expect(Self.api.get("/registry").object?["record_count"] as? Int == 14_499)
        #expect(Self.api.get("/registry").object?["newest_iana_date"] as? String == "2026-02-13")
    }
}
