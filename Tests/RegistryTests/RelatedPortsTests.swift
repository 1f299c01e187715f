import Foundation
import Registry
import Testing
import TestSupport

@Suite struct RelatedPortsTests {
    static let image = try! Seeder.image(of: .builtIn()).0
    let store: RegistryStore

    init() throws {
        store = try RegistryStore(image: Self.image)
    }

    func related(_ port: Int) throws -> [RelatedPort] {
        try store.relatedPorts(to: port, records: store.records(coveringPort: port))
    }

    @Test(arguments: [600, 2049, 22, 80, 111, 21, 6001, 5432, 3389, 53])
    func atMostEightOtherPortsEachWithWhy(port: Int) throws {
        let related = try related(port)
        print("related to \(port): " + related.map { "\($0.port) \($0.service) [\($0.reasons.joined(separator: "; "))]" }.joined(separator: " | "))
        #expect(related.count <= RelatedPorts.maximumCount)
        #expect(related.allSatisfy { $0.port != port && !$0.reasons.isEmpty })
        #expect(Set(related.map(\.port)).count == related.count)
    }

    @Test func wellKnownFamiliesAreFound() throws {
        #expect(try related(80).contains { $0.port == 443 && $0.reasons.contains("also in RFC 9110") })
        #expect(try related(21).contains { $0.port == 20 })
        #expect(try related(600).contains { $0.port == 607 && $0.reasons == ["same assignee (Bill_Schiefelbein)"] })
    }

    @Test func nfsAndNfsrdmaAreRelatedBothWays() throws {
        #expect(try related(2049).contains { $0.port == 20049 })
        #expect(try related(20049).contains { $0.port == 2049 })
    }

    @Test func anUnassignedOrDynamicPortHasNone() throws {
        #expect(try related(65535).isEmpty)
        #expect(try related(49999).isEmpty)
    }
}
