import Foundation
@testable import Registry
import Testing
import TestSupport

@Suite struct QuickCheckTests {
    @Test func aSoundRegistryPasses() throws {
        let (store, _) = try trapsStore()
        #expect(try store.quickCheck() == nil)
    }

    /// Each damaged page is one of SQLite's messages, and the summary holds the first few. With
    /// fewer damaged pages than the check may report, SQLite goes on to read the table's rows and
    /// stops at the first damaged one, reporting only that the file is malformed.
    @Test(arguments: [1, RegistryStore.quickCheckProblems + 1, 10])
    func garbageInDataPagesIsFoundThoughTheStoreOpens(damagedPages: Int) throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.db")
        try seed(generatedCSV(records: 3_000), into: path, in: folder)
        // Leaf pages of the records table: no query the store runs to open reads them.
        let seeded = try Database(path: path, mode: .readOnly)
        let pageSize = Int(try seeded.scalarText("PRAGMA page_size") ?? "") ?? 0
        let pages = try seeded
            .prepare("SELECT pageno FROM dbstat WHERE name = 'records' AND pagetype = 'leaf' ORDER BY pageno")
            .rows { $0.int(at: 0) }
        try #require(pages.count > 20 && pageSize > 0)
        let damaged = pages[5..<(5 + damagedPages)]
        let file = try #require(FileHandle(forUpdatingAtPath: path))
        for page in damaged {
            try file.seek(toOffset: UInt64((page - 1) * pageSize))
            try file.write(contentsOf: Data(repeating: 0xA5, count: pageSize)) // not a page type SQLite knows
        }
        try file.close()

        let store = try RegistryStore(path: path)
        #expect(try store.metadata().recordCount == 3_000)
        let problems = try #require(try store.quickCheck())
        guard damagedPages > RegistryStore.quickCheckProblems else {
            #expect(problems == "database disk image is malformed")
            return
        }
        let messages = problems.components(separatedBy: "; ")
        #expect(messages.count == RegistryStore.quickCheckProblems + 1 && messages.last == "and more", "\(messages)")
        #expect(messages.dropLast().allSatisfy { message in
            damaged.contains { message == "Page \($0): btreeInitPage() returns error code 11" }
        }, "\(messages)")
    }

    /// A store holds the file as it was read: what happens to the file later is nothing to it,
    /// and a file cut short is refused when loaded, as not a registry.
    @Test func aFileCutShortIsRefusedAndAStoreOpenedBeforeIsUntouched() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.db")
        try seed(generatedCSV(records: 3_000), into: path, in: folder)
        let before = try RegistryStore(path: path)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(truncate(path, off_t(size / 2)) == 0)
        #expect(try before.quickCheck() == nil)
        #expect(throws: RegistryError.notARegistry(path: path, reason: "database disk image is malformed")) {
            try RegistryStore(path: path)
        }
    }
}
