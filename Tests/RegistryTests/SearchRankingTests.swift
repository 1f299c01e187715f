@testable import Registry
import Testing
import TestSupport

/// Search on the full registry puts the answer people mean first (issue 10's examples).
@Suite struct SearchRankingTests {
    let store: RegistryStore

    init() throws {
        store = try RegistryStore(path: FullRegistryTests.database)
    }

    func search(_ text: String, limit: Int = 10) throws -> SearchResults {
        try store.search(SearchQuery(text), limit: limit)
    }

    @Test func wordsRunTogetherFindTheNameTheyMake() throws {
        let results = try search("sun rpc")
        #expect(results.hits.prefix(2).map(\.record.service) == ["sunrpc", "sunrpc"])
        #expect(results.hits.first?.rank == .nameStart)
        #expect(results.hits.first?.record.ports == Record.Ports(first: 111, last: 111))
        // The DNS-SD name sun-rpc joins to the same name; having no port, it comes after.
        #expect(results.hits.firstIndex { $0.record.service == "sun-rpc" }! > 1)
        #expect(try search("SUN RPC").hits == results.hits)
    }

    @Test func aNamesInitialsRankAboveADescriptionThatMerelyHoldsThePhrase() throws {
        let services = try search("network file system").records.map(\.service)
        #expect(services.first == "nfs")
        #expect(services.firstIndex(of: "nfs")! < services.firstIndex(of: "nfsrdma")!)
    }

    @Test func anEverydayNameFindsTheServiceIANANamesOtherwise() throws {
        let dns = try search("dns")
        #expect(dns.hits.prefix(2).map(\.record.service) == ["domain", "domain"])
        #expect(dns.hits.first?.rank == .everydayName && dns.hits.first?.everydayName?.name == "dns")
        #expect(dns.hits.first?.record.ports == Record.Ports(first: 53, last: 53))
        let rdp = try search("rdp")
        #expect(rdp.hits.prefix(2).map(\.record.service) == ["ms-wbt-server", "ms-wbt-server"])
        // IANA's own rdp rows are DNS-SD names without a port: right after the port it means.
        #expect(rdp.hits[2].record.service == "rdp" && rdp.hits[2].record.ports == nil && rdp.hits[2].rank == .serviceNameWithoutPort)
        #expect(try search("Remote Desktop").records.first?.service == "ms-wbt-server")
    }

    /// IANA's sftp is the Simple File Transfer Protocol on 115; people saying sftp mostly mean
    /// SSH's file transfer. IANA's name comes first, the everyday name's service right after.
    @Test func anIANANameOutranksTheSameEverydayName() throws {
        let hits = try search("sftp").hits
        #expect(hits.prefix(2).map(\.record.service) == ["sftp", "sftp"] && hits[0].rank == .serviceName)
        #expect(hits[2].record.service == "ssh" && hits[2].rank == .everydayName && hits[2].everydayName?.name == "sftp")
    }

    @Test func aKnownUseSurfacesWhereIANAListsNothing() throws {
        let kafka = try search("kafka")
        let first = try #require(kafka.ranked.first)
        guard case let .knownUse(hit) = first else { Issue.record("kafka's first result is \(first)"); return }
        #expect(hit.knownUse.product == "Apache Kafka" && hit.knownUse.ports == Record.Ports(first: 9092, last: 9092))
        #expect(hit.rank == .everydayName)
        #expect(hit.knownUse.url.hasPrefix("https://kafka.apache.org/"))
    }

    @Test func anExactNameWithAPortStillComesFirstAndPortsBeforeNameOnlyRows() throws {
        let ssh = try search("ssh").hits
        #expect(ssh.prefix(3).allSatisfy { $0.record.service == "ssh" && $0.record.ports != nil && $0.rank == .serviceName })
        let nameOnly = try #require(ssh.firstIndex { $0.record.service == "ssh" && $0.record.ports == nil })
        #expect(nameOnly > 2)
        #expect(try search("http").records.first?.service == "http")
    }

    @Test func ranksNeverDecreaseAndTheTotalCountsWhatNamesFound() throws {
        for text in ["sql", "sun rpc", "dns", "network file system", "s"] {
            let results = try search(text, limit: RegistryStore.maximumSearchLimit)
            #expect(zip(results.hits, results.hits.dropFirst()).allSatisfy { $0.rank <= $1.rank }, "\(text)")
            #expect(zip(results.ranked, results.ranked.dropFirst()).allSatisfy { $0.rank <= $1.rank }, "\(text)")
            #expect(results.total >= results.hits.count, "\(text)")
        }
        // sunrpc holds neither word as a word start: only its name brings it in, and it is counted.
        let sunRPC = try search("sun rpc", limit: RegistryStore.maximumSearchLimit)
        #expect(sunRPC.total == sunRPC.hits.count)
        let paged = try store.search(SearchQuery("sun rpc"), limit: 1, offset: 1)
        #expect(paged.total == sunRPC.total && paged.records == [sunRPC.records[1]])
    }
}
