import Foundation
@testable import Registry
import Testing
import TestSupport

/// Hands out its bytes `chunkSize` at a time, to put every buffer boundary to the test.
struct ChunkedBytes: ByteStream {
    let bytes: [UInt8]
    let chunkSize: Int
    var offset = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(chunkSize, buffer.count, bytes.count - offset)
        buffer.copyBytes(from: bytes[offset..<offset + count])
        offset += count
        return count
    }
}

func readAll(_ text: String, chunkSize: Int = 1 << 16) throws -> [CSVRecord] {
    try readAll(Array(text.utf8), chunkSize: chunkSize)
}

func readAll(_ bytes: [UInt8], chunkSize: Int = 1 << 16) throws -> [CSVRecord] {
    var reader = CSVReader(ChunkedBytes(bytes: bytes, chunkSize: chunkSize))
    var records: [CSVRecord] = []
    while let record = try reader.next() { records.append(record) }
    return records
}

func csvError(_ text: String) -> CSVError? {
    do { _ = try readAll(text) } catch let error as CSVError { return error } catch { Issue.record("\(error)") }
    return nil
}

@Suite struct CSVReaderTests {
    @Test func quotedFieldsSpanLinesAndDoubleTheirQuotes() throws {
        let records = try readAll("a,\"one\ntwo \"\"three\"\"\",c\nd,e,f\n")
        #expect(records == [
            CSVRecord(line: 1, fields: ["a", "one\ntwo \"three\"", "c"]),
            CSVRecord(line: 3, fields: ["d", "e", "f"]),
        ])
    }

    @Test func crlfAndLFGiveTheSameRecords() throws {
        let lf = try readAll(trapsCSV)
        let crlf = try readAll(trapsCSV.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(lf == crlf)
        #expect(lf.count == 14)
    }

    @Test func aByteOrderMarkIsNotData() throws {
        let records = try readAll([0xEF, 0xBB, 0xBF] + Array("x,y\n".utf8), chunkSize: 1)
        #expect(records == [CSVRecord(line: 1, fields: ["x", "y"])])
    }

    @Test func everyBufferBoundaryReadsTheSame() throws {
        let whole = try readAll(trapsCSV)
        for chunkSize in [1, 2, 3, 7, 64] {
            #expect(try readAll(trapsCSV, chunkSize: chunkSize) == whole)
        }
    }

    @Test func emptyFieldsLastRecordWithoutNewlineAndEmptyLines() throws {
        let records = try readAll("a,,\"\"\n\n,b,\r\n\nlast,one")
        #expect(records == [
            CSVRecord(line: 1, fields: ["a", "", ""]),
            CSVRecord(line: 3, fields: ["", "b", ""]),
            CSVRecord(line: 5, fields: ["last", "one"]),
        ])
        #expect(try readAll("").isEmpty)
    }

    @Test func aLineOfOneEmptyQuotedFieldIsARecordWhateverItsLineEnd() throws {
        // Found by fuzzing (scripts/fuzz.sh csv-reader): before CRLF, `""` was taken for an empty line.
        let expected = [CSVRecord(line: 1, fields: ["a"]), CSVRecord(line: 2, fields: [""]), CSVRecord(line: 4, fields: ["b"])]
        #expect(try readAll("a\n\"\"\n\nb\n") == expected)
        #expect(try readAll("a\r\n\"\"\r\n\r\nb\r\n") == expected)
    }

    @Test func anUnterminatedQuoteNamesTheLineItOpened() {
        #expect(csvError("a,b\nc,\"never\nclosed,d\n") == CSVError(line: 2, reason: "a quoted field opened on line 2 is never closed"))
    }

    @Test func malformedQuotingIsRefusedWithItsLine() {
        #expect(csvError("a,b\nc,d\"e\n")?.line == 2)
        #expect(csvError("a,b\nc,d\"e\n")?.reason.contains("quote inside an unquoted field") == true)
        #expect(csvError("a\n\"x\"y,z\n")?.reason.contains("after a closing quote") == true)
        #expect(csvError("a\rb\n")?.reason.contains("carriage return") == true)
    }

    @Test func invalidUTF8IsRefusedWithItsLine() {
        var bytes = Array("a,b\nc,".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\n".utf8)
        #expect(throws: CSVError(line: 2, reason: "field 2 is not valid UTF-8")) { try readAll(bytes) }
    }

    @Test func aCRInsideQuotesIsKeptUnlessALineFeedFollows() throws {
        #expect(try readAll("\"a\rb\",c\n") == [CSVRecord(line: 1, fields: ["a\rb", "c"])])
    }
}
