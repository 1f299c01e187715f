@testable import Registry
import Testing
import TestSupport

/// The everyday names and known uses the binary carries (knowledge/), checked entry by entry
/// against the registry snapshot they sit beside.
@Suite struct KnowledgeTests {
    let knowledge: Knowledge

    init() throws {
        knowledge = try Knowledge.builtIn()
    }

    @Test func everyKnownUseHasAPortATransportAndItsVendorsURL() {
        #expect(knowledge.knownUses.count >= 100)
        for use in knowledge.knownUses {
            #expect(PortLookup.validPorts.contains(use.ports.first) && use.ports.first <= use.ports.last, "\(use.product)")
            #expect(Record.Transport.allCases.contains(use.transport), "\(use.product)")
            #expect(use.url.hasPrefix("https://") && !use.url.contains(" "), "\(use.product) \(use.url)")
            #expect(!use.product.isEmpty && !use.use.isEmpty && !use.vendor.isEmpty)
        }
        let distinct = Set(knowledge.knownUses.map { "\($0.product) \($0.ports.first)-\($0.ports.last)/\($0.transport)" })
        #expect(distinct.count == knowledge.knownUses.count, "each product's use of a port and transport once")
    }

    /// Each everyday name means a service IANA's snapshot has on that port, and cites an RFC those
    /// records reference, or else the service's own entry in IANA's registry.
    @Test func everyEverydayNameNamesARecordOfTheSnapshotAndCitesIt() throws {
        let store = try RegistryStore(path: FullRegistryTests.database)
        #expect(knowledge.everydayNames.count >= 30)
        for name in knowledge.everydayNames {
            let records = try store.records(named: name.service).filter { record in
                record.source == .iana && record.ports.map { $0.first <= name.port && name.port <= $0.last } == true
            }
            #expect(!records.isEmpty, "\(name.name): no IANA record \(name.service) on \(name.port)")
            if let rfc = name.source.wholeMatch(of: /https:\/\/www\.rfc-editor\.org\/rfc\/rfc(\d+)/)?.1 {
                #expect(records.contains { $0.references.contains("RFC\(rfc)") }, "\(name.name): \(name.service) does not cite RFC\(rfc)")
            } else {
                #expect(name.source == "https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xhtml?search=\(name.service)",
                        "\(name.name): cites \(name.source)")
            }
        }
    }

    @Test func aBrokenLineIsRefusedWithItsFileAndLine() {
        let names = (name: "everyday-names.csv", text: "name,service,port,source\ndns,domain,53,https://example.org/\n")
        func uses(_ line: String) -> (name: String, text: String) {
            (name: "known-uses.csv", text: "product,names,use,port,transport,vendor,url\n\(line)\n")
        }
        #expect(throws: KnowledgeError(file: "known-uses.csv", line: 2, reason: "port \"70000\" is not N or N-M within 0-65535")) {
            try Knowledge(everydayNames: names, knownUses: uses("P,,a use,70000,tcp,V,https://example.org/"))
        }
        #expect(throws: KnowledgeError(file: "known-uses.csv", line: 2, reason: "port \"9-1\" is not N or N-M within 0-65535")) {
            try Knowledge(everydayNames: names, knownUses: uses("P,,a use,9-1,tcp,V,https://example.org/"))
        }
        #expect(throws: KnowledgeError(file: "known-uses.csv", line: 2, reason: "transport \"tcp/udp\" is not one of tcp, udp, sctp, dccp")) {
            try Knowledge(everydayNames: names, knownUses: uses("P,,a use,9,tcp/udp,V,https://example.org/"))
        }
        #expect(throws: KnowledgeError(file: "known-uses.csv", line: 2, reason: "the url field is empty")) {
            try Knowledge(everydayNames: names, knownUses: uses("P,,a use,9,tcp,V,"))
        }
        #expect(throws: KnowledgeError(file: "known-uses.csv", line: 2, reason: "source \"http://example.org/\" is not an https URL")) {
            try Knowledge(everydayNames: names, knownUses: uses("P,,a use,9,tcp,V,http://example.org/"))
        }
        #expect(throws: KnowledgeError(file: "known-uses.csv", line: 1, reason: "expected the header product,names,use,port,transport,vendor,url")) {
            try Knowledge(everydayNames: names, knownUses: (name: "known-uses.csv", text: "product,use\n"))
        }
        let parsed = try? Knowledge(everydayNames: names, knownUses: uses("P,p one; p two,a use,9-10,udp,V,https://example.org/"))
        #expect(parsed?.knownUses.first?.names == ["p one", "p two"])
        #expect(parsed?.knownUses.first?.ports == Record.Ports(first: 9, last: 10))
    }

    @Test func theStoreAnswersKnownUsesAndEverydayNamesOfAPort() throws {
        let store = try RegistryStore(path: FullRegistryTests.database)
        let apiServer = try store.knownUses(port: 6443)
        #expect(apiServer.map(\.product) == ["Kubernetes API server"])
        #expect(apiServer.first?.url == "https://kubernetes.io/docs/reference/networking/ports-and-protocols/")
        #expect(try store.knownUses(port: 31000).map(\.transport) == [.tcp, .udp]) // the NodePort range
        #expect(try store.knownUses(port: 31000, transport: .udp).map(\.transport) == [.udp])
        #expect(try store.knownUses(port: 1).isEmpty)
        #expect(try store.everydayNames(port: 3389).map(\.name) == ["rdp", "remote desktop", "remote desktop protocol"])
        #expect(try store.metadata().knowledgeSHA256 == knowledge.sha256)
    }
}
