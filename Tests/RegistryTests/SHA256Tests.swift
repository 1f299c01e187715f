import Foundation
@testable import Registry
import Testing
import TestSupport

func sha256(_ bytes: [UInt8]) -> String {
    var digest = SHA256()
    digest.update(bytes)
    return digest.finalize()
}

@Suite struct SHA256Tests {
    @Test func matchesTheFIPSExamples() {
        #expect(sha256([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(sha256(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func pieceByPieceEqualsAllAtOnce() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for split in [0, 1, 55, 56, 63, 64, 65, 999] {
            var digest = SHA256()
            digest.update(bytes[..<split])
            digest.update(bytes[split...])
            #expect(digest.finalize() == sha256(bytes))
        }
    }

    @Test(.needsTools("/usr/bin/sha256sum", from: "coreutils"))
    func agreesWithSha256sumOnTheSnapshot() throws {
        let path = Snapshot.current
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        process.standardOutput = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var stream = DigestingStream(try InputFile(path: path))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while try buffer.withUnsafeMutableBytes({ try stream.read(into: $0) }) > 0 {}
        #expect(printed.hasPrefix(stream.digest.finalize() + " "))
    }
}
