import Foundation
import Testing
import TestSupport

/// The build tool that embeds files into the binary, run as the EmbedFiles plugin runs it: it
/// holds migrations and the snapshot to their rules, and writes each file's text exactly.
@Suite struct FileEmbedderTests {
    func embed(_ check: String, _ files: [String], in folder: TemporaryDirectory) throws -> ProcessResult {
        try run([folder.path("Out.swift"), "embeddedFiles", check] + files, product: "FileEmbedder")
    }

    @Test func eachFileIsEmbeddedByNameWithItsExactText() throws {
        let folder = TemporaryDirectory()
        let text = "line \"one\"\n\\ tab\t é \u{1F600}\n"
        let result = try embed("-", [folder.write("a.txt", text)], in: folder)
        #expect(result.status == 0, "\(result.error)")
        let source = try String(contentsOfFile: folder.path("Out.swift"), encoding: .utf8)
        #expect(source.contains(#"("a.txt", "line \"one\"\n\\ tab\u{9} \u{e9} \u{1f600}\n")"#), "\(source)")
        #expect(source.contains("let embeddedFiles: [(name: String, text: String)] = ["))
    }

    @Test(arguments: [(["0001_a.sql", "0002_b.sql"], nil),
                      (["0001_a.sql", "0003_c.sql"], "0003_c.sql: expected a name NNNN_name.sql starting 0002_"),
                      (["0002_b.sql"], "0002_b.sql: expected a name NNNN_name.sql starting 0001_"),
                      (["0001_.sql"], "0001_.sql: expected a name NNNN_name.sql starting 0001_")])
    func migrationsCountUpFromOneWithoutAGap(names: [String], error: String?) throws {
        let folder = TemporaryDirectory()
        let result = try embed("numbered", names.map { folder.write($0, "SELECT 1;") }, in: folder)
        if let error {
            #expect(result.status == 1 && result.error.contains(error), "\(result.error)")
        } else {
            #expect(result.status == 0, "\(result.error)")
        }
    }

    @Test(arguments: [(["service-names-port-numbers-2026-02.csv"], true), ([], false),
                      (["service-names-port-numbers-2026-02.csv", "service-names-port-numbers-2024-04.csv"], false),
                      (["service-names-port-numbers.csv"], false)])
    func theSnapshotIsExactlyOneDatedFile(names: [String], accepted: Bool) throws {
        let folder = TemporaryDirectory()
        let result = try embed("one-snapshot", names.map { folder.write($0, "Service Name\n") }, in: folder)
        #expect((result.status == 0) == accepted, "\(result.error)")
        if !accepted { #expect(result.error.hasPrefix("FileEmbedder: iana/ must hold exactly one service-names-port-numbers-YYYY-MM.csv")) }
    }

    /// The binary carries the snapshot compressed: RegistryTests' EmbeddedSnapshotTests show it
    /// expands to the file byte for byte.
    @Test func aCompressedFileIsStoredWithItsSizeInLessRoom() throws {
        let folder = TemporaryDirectory()
        let text = String(repeating: "http,80,tcp,World Wide Web HTTP,[Tim_Berners_Lee],,,\n", count: 200)
        let result = try embed("one-snapshot+compressed", [folder.write("service-names-port-numbers-2026-02.csv", text)], in: folder)
        #expect(result.status == 0, "\(result.error)")
        let source = try String(contentsOfFile: folder.path("Out.swift"), encoding: .utf8)
        #expect(source.contains("let embeddedFiles: [(name: String, size: Int, compressed: String)] = ["))
        #expect(source.contains("(\"service-names-port-numbers-2026-02.csv\", \(text.utf8.count), \""))
        #expect(source.utf8.count < text.utf8.count / 10, "\(source.utf8.count) bytes of source for \(text.utf8.count)")
    }

    @Test func aFileThatIsNotUTF8IsRefusedByName() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("latin1.txt", Data([0x63, 0x61, 0x66, 0xE9]))
        let result = try embed("-", [file], in: folder)
        #expect(result.status == 1 && result.error == "FileEmbedder: \(file) is not valid UTF-8\n")
    }
}
