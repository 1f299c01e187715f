import Foundation
import Registry
import Testing
import TestSupport

/// A seed reading from a pipe that is killed half-way through its input (which it reads whole
/// before building anything).
struct HalfFedSeed {
    let process = Process()
    let input = Pipe()

    init(database: String) throws {
        process.executableURL = productsDirectory.appendingPathComponent("portinfo")
        process.arguments = ["seed", "--csv", "-", "--db", database]
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let csv = Data(generatedCSV(records: 20_000).utf8)
        // More than a pipe holds, so the seed has read a good part when this returns.
        input.fileHandleForWriting.write(csv.prefix(csv.count / 2))
    }

    var temporaryPath: String { Seeder.temporaryPath(forTarget: process.arguments![4], pid: process.processIdentifier) }

    func stop(with signal: Int32) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }
}

@Suite struct InterruptedSeedTests {
    @Test func aKilledSeedLeavesTheOldDatabaseAnswering() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let seed = try HalfFedSeed(database: database)
        _ = seed.stop(with: SIGKILL)

        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        let lookup = try run(["lookup", "600", "--db", database])
        #expect(lookup.status == 0 && lookup.output.contains("ipcserver"))
        // The new registry was being built in memory: nothing of it is left on disk.
        #expect(folder.fileNames() == ["registry.db", "traps.csv"])
    }

    @Test func theNextSeedRemovesWhatKilledSeedsLeftBehind() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        // Killed while writing its file out: a process that has ended since.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        folder.write(".registry.db.seed-\(gone.processIdentifier)", "half a database")
        let reseed = try run(["seed", "--csv", folder.path("traps.csv"), "--db", database])
        #expect(reseed.status == 0)
        #expect(folder.fileNames() == ["registry.db", "traps.csv"])
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func anInterruptedSeedRemovesItsTemporaryFile(signal: Int32) throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let seed = try HalfFedSeed(database: database)
        #expect(seed.stop(with: signal) == 128 + signal)
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        #expect(folder.fileNames() == ["registry.db", "traps.csv"])
    }
}
