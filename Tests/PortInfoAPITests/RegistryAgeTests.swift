@testable import PortInfoAPI
@testable import Registry
import Testing

@Suite struct RegistryAgeTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0), ("2024-12-20", 1_734_652_800), ("2024-12", 1_733_011_200),
        ("2026-02-13T18:05:09Z", 1_771_005_909),
    ])
    func datesAndImportTimesAreReadAsUTC(text: String, seconds: Int) {
        #expect(RegistryAge.epochSeconds(of: text) == seconds)
    }

    @Test(arguments: ["", "2024", "2024-13", "2024-12-32", "2024/12/20", "2024-12-20T00:00:00", "2024-12-20 00:00:00Z", "２０２４-12"])
    func anythingElseIsNotADate(text: String) {
        #expect(RegistryAge.epochSeconds(of: text) == nil)
    }

    @Test func theAgeRunsFromTheNewestIANADateElseFromTheImport() throws {
        #expect(RegistryAge(newestIANADate: "2024-12-20", importedAt: "2026-01-01T00:00:00Z")?.seconds(at: 1_734_652_800 + 60) == 60)
        #expect(RegistryAge(newestIANADate: nil, importedAt: "2026-01-01T00:00:00Z")?.since == 1_767_225_600)
    }
}
