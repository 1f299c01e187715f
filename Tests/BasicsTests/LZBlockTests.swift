import Basics
import Foundation
import Testing
import TestSupport

@Suite struct LZBlockTests {
    @Test func theSnapshotComesBackWholeInAThirdOfItsSize() throws {
        let csv = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Snapshot.current)))
        let block = LZBlock.compress(csv)
        print("the snapshot: \(csv.count) bytes, \(block.count) compressed")
        #expect(block.count < csv.count / 3, "\(block.count) of \(csv.count) bytes")
        #expect(LZBlock.decompress(block, size: csv.count) == csv)
    }

    @Test(arguments: [0, 1, 4, 12, 13, 17, 300, 70_000])
    func everyShapeComesBack(size: Int) {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let run = [UInt8](repeating: 7, count: size)
        // Text that repeats beyond the window: distances near 65,535 and past it.
        let repeated = (0..<size).map { UInt8(ascii: "a") + UInt8($0 % 61_003 % 26) }
        for input in [random, run, repeated] {
            #expect(LZBlock.decompress(LZBlock.compress(input), size: input.count) == input)
        }
    }

    @Test func aDamagedBlockIsRefusedNotReadPast() {
        let input = Array(String(repeating: "http,80,tcp,World Wide Web HTTP\n", count: 40).utf8)
        let block = LZBlock.compress(input)
        #expect(LZBlock.decompress(block, size: input.count + 1) == nil, "the size it was told")
        #expect(LZBlock.decompress(block, size: input.count - 1) == nil)
        for cut in 0..<block.count {
            #expect(LZBlock.decompress(Array(block[..<cut]), size: input.count) == nil, "cut at \(cut)")
        }
        // A match reaching back before the start, and one of distance 0.
        #expect(LZBlock.decompress([0x10, 0x41, 0x02, 0x00, 0x00], size: 5) == nil)
        #expect(LZBlock.decompress([0x10, 0x41, 0x00, 0x00, 0x00], size: 5) == nil)
        // A count that runs on without end.
        #expect(LZBlock.decompress([0xF0] + [UInt8](repeating: 255, count: 100), size: 10_000) == nil)
    }
}
