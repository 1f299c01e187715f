import Foundation
import Registry
import Testing
import TestSupport

/// The registry the binary carries: a new install answers with nothing beside it, offline.
@Suite struct BuiltInSnapshotTests {
    @Test func lookupFromAnyDirectorySeedsTheSnapshotIntoTheDataFolderOnce() throws {
        let home = TemporaryDirectory()
        let environment = ["XDG_DATA_HOME": home.path("data")]
        let first = try run(["lookup", "600"], environment: environment)
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.hasPrefix("port 600 (system range): assigned\n") && first.output.contains("ipcserver"))
        #expect(first.error.contains("seeded the \(BuiltInSnapshot.sourceName) there"))
        #expect(FileManager.default.fileExists(atPath: home.path("data/portinfo/registry.db")))
        let second = try run(["lookup", "600"], environment: environment)
        #expect(second.status == 0 && second.error.isEmpty && second.output == first.output)
    }

    @Test func withoutAWritableDataFolderTheCLIAnswersFromMemory() throws {
        // /proc takes no new folders, whoever asks.
        let result = try run(["service", "ipcserver"], environment: ["XDG_DATA_HOME": "/proc/portinfo-test"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("ipcserver") && result.output.contains("Sun IPC server"))
        #expect(result.error.contains("cannot be written: answering from the \(BuiltInSnapshot.sourceName)"))
    }

    @Test func versionNamesTheSnapshot() throws {
        let result = try run(["--version"])
        #expect(result.status == 0)
        #expect(result.output.contains("with the IANA registry snapshot \(BuiltInSnapshot.date) (\(IANARegistry.pageURL), public domain, CC0 1.0)"),
                "\(result.output)")
    }

    @Test func serveWithNoDatabaseSeedsTheSnapshotIntoDbAndSaysHowOldItIs() throws {
        let folder = TemporaryDirectory()
        let database = folder.path("new/registry.db")
        try FileManager.default.createDirectory(atPath: folder.path("new"), withIntermediateDirectories: false)
        let server = try ServerProcess(["--db", database, "--access-log", "off"])
        #expect(server.startupLog.contains("no registry database at \(database): seeded the \(BuiltInSnapshot.sourceName)"))
        #expect(server.startupLog.contains("registry \(database): "))
        #expect(server.startupLog.contains("from \(BuiltInSnapshot.sourceName), newest IANA date "))
        #expect(server.startupLog.contains(" days old"))
        #expect(try server.get("/ports/600").status == 200)
        let registry = try #require(try server.get("/registry").json)
        #expect(registry["source"] as? String == BuiltInSnapshot.sourceName)
        var digest = SHA256()
        digest.update(Array(BuiltInSnapshot.csv.utf8))
        #expect(registry["sha256"] as? String == digest.finalize())
        #expect((registry["attribution"] as? String)?.contains("CC0 1.0") == true)
        #expect(FileManager.default.fileExists(atPath: database))
    }

    @Test func serveWhereNoDatabaseCanBeWrittenServesTheSnapshotFromMemory() throws {
        let server = try ServerProcess(["--db", "/proc/portinfo-test/registry.db", "--access-log", "off"])
        #expect(server.startupLog.contains("serving the \(BuiltInSnapshot.sourceName) from memory"))
        #expect(server.startupLog.contains("registry in memory: "))
        #expect(try server.get("/ports/600").status == 200)
        #expect(try server.get("/healthz").body == #"{"status":"ok"}"# + "\n")
    }

    /// The binary alone, run in a new network namespace (no interface but its own loopback) from
    /// an empty directory with an empty home: it serves the registry and answers a lookup.
    @Test(.needsRoot, .needsTools("/usr/bin/unshare", "/usr/bin/curl", from: "util-linux, curl"))
    func theBinaryAloneServesFromAnEmptyDirectoryWithNoNetwork() throws {
        let empty = TemporaryDirectory()
        let binary = empty.path("portinfo")
        try FileManager.default.copyItem(atPath: productsDirectory.appendingPathComponent("portinfo").path, toPath: binary)
        let script = """
            set -eu
            ip link set lo up
            if curl -s -m 2 -o /dev/null https://www.iana.org/; then echo "the namespace has a network"; exit 3; fi
            ./portinfo lookup 600
            ./portinfo serve --host 127.0.0.1 --port 8080 --access-log off 2>serve.log & pid=$!
            for _ in $(seq 100); do curl -sf http://127.0.0.1:8080/ports/600 >ports.json && break; sleep 0.1; done
            curl -sf http://127.0.0.1:8080/registry
            kill -TERM $pid; wait $pid
            cat ports.json
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--net", "--", "/bin/sh", "-c", script]
        process.currentDirectoryURL = empty.url
        process.environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": empty.url.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("port 600 (system range): assigned"))
        #expect(text.contains(#""source":"\#(BuiltInSnapshot.sourceName)""#))
        #expect(text.contains(#"{"port":600,"range":"system","status":"assigned","records":[{"service":"ipcserver""#))
        let seeded = (try? FileManager.default.contentsOfDirectory(atPath: empty.path(".local/share/portinfo"))) ?? []
        #expect(seeded == ["registry.db"])
    }
}
