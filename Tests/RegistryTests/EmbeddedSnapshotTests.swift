import Foundation
import Registry
import Testing
import TestSupport

@Suite struct EmbeddedSnapshotTests {
    @Test func theBinaryCarriesIANAsFileByteForByteAndNamesItsDate() throws {
        let folder = repositoryRoot.appendingPathComponent("iana")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }
        #expect(names == ["service-names-port-numbers-\(BuiltInSnapshot.date).csv"])
        let file = try Data(contentsOf: folder.appendingPathComponent(names[0]))
        #expect(Array(BuiltInSnapshot.csv.utf8) == Array(file))
        #expect(BuiltInSnapshot.sourceName == "IANA snapshot \(BuiltInSnapshot.date), built into portinfo")
    }

    @Test func itSeedsAWholeRegistryInMemory() throws {
        let (image, report) = try Seeder.image(of: .builtIn())
        #expect(report.metadata.source == BuiltInSnapshot.sourceName)
        #expect(report.metadata.recordCount > 14_000)
        let store = try RegistryStore(image: image)
        #expect(try store.records(named: "ipcserver").map(\.description) == ["Sun IPC server", "Sun IPC server"])
    }
}
