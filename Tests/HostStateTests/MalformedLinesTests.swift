import Foundation
@testable import HostState
import Synchronization
import Testing
import TestSupport

/// The captured tcp table with broken lines between its rows, each broken as a kernel bug, a
/// truncated read or a damaged file might break it; the table's own rows stay as they were.
struct BrokenTable {
    static let header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
    /// A row of the table's shape in slot `slot`, with `local` for its address column and `state`.
    static func row(_ slot: Int, local: String, state: String = "0A") -> String {
        "  \(slot): \(local) 00000000:0000 \(state) 00000000:00000000 00:00000000 00000000     0        0 2000\(slot) 1 00000000c1cdf9bf 100 0 0 10 0"
    }

    static let hugeColumn = String(repeating: "0", count: 1 << 20) + ":1F94"
    /// Every byte but a newline, twice: NULs, escapes, invalid UTF-8, and blanks splitting it into 7 columns.
    static let garbage: [UInt8] = (0..<512).map { UInt8($0 % 256) }.filter { $0 != UInt8(ascii: "\n") }
    /// A terminal escape and bytes that are not UTF-8 where an address should be.
    static let escapedColumn: [UInt8] = [0x1B] + Array("[31m".utf8) + [0xC0, 0xFF] + Array("0100007F:1F96".utf8)

    /// The broken lines, in table order, and why each is left out.
    static let broken: [(line: [UInt8], reason: String)] = [
        (Array("   9: 0100007F:1F91 00000000:0000 0A 00000000:00000000".utf8), "expected at least 10 columns, found 5"),
        (Array(row(10, local: "0100007G:1F92").utf8), "not an address:port in hex: '0100007G:1F92'"),
        (Array(row(11, local: "0100007F:1F93", state: "0Z").utf8), "state is not two hex digits: '0Z'"),
        (garbage, "expected at least 10 columns, found 7"),
        (Array(row(12, local: hugeColumn).utf8), "not an address:port in hex: '\(String(repeating: "0", count: ProcNetSocketTable.quotedBytes))'…"),
        (Array(row(14, local: "@").utf8).split(separator: UInt8(ascii: "@")).joined(separator: escapedColumn).map { $0 },
         #"not an address:port in hex: '\x1B[31m\xC0\xFF0100007F:1F96'"#),
    ]
    /// Last, cut short by a read that ended early: no newline after it.
    static let truncatedLast = Array("  13: 0100007F:1F95 00000000:0000 0A 00000000:00000000 00:000".utf8)

    /// Header, then a real row and a broken line in turn, the remaining real rows, the truncated line.
    static var table: [UInt8] {
        let rows = ProcNetFixtures.tcp.split(separator: "\n").dropFirst().map { Array($0.utf8) }
        var lines = [Array(header.utf8)]
        for (index, row) in rows.enumerated() {
            lines.append(row)
            if index < broken.count { lines.append(broken[index].line) }
        }
        return Array(lines.joined(separator: [UInt8(ascii: "\n")])) + [UInt8(ascii: "\n")] + truncatedLast
    }

    /// Line numbers (from 1) of the broken lines: the header is 1, each broken line follows a real row.
    static let brokenLineNumbers = broken.indices.map { 3 + 2 * $0 }
}

@Suite(.needsLittleEndianHost)
struct MalformedLinesTests {
    @Test func eachBrokenLineIsLeftOutAndEveryRealRowIsRead() {
        let (sockets, malformed) = tcpListenersAndMalformed(BrokenTable.table)
        #expect(sockets == tcpListeners(ProcNetFixtures.tcp))
        #expect(malformed.count == BrokenTable.broken.count + 1)
        #expect(malformed.first == MalformedLines.Line(path: "/proc/net/tcp", line: BrokenTable.brokenLineNumbers[0],
                                                       reason: BrokenTable.broken[0].reason))
    }

    @Test func eachWayOfBreakingALineHasItsReason() {
        let header = Array((BrokenTable.header + "\n").utf8)
        for (broken, reason) in BrokenTable.broken where !reason.isEmpty {
            let (sockets, malformed) = tcpListenersAndMalformed(header + broken + [UInt8(ascii: "\n")])
            #expect(sockets.isEmpty && malformed.count == 1)
            #expect(malformed.first == MalformedLines.Line(path: "/proc/net/tcp", line: 2, reason: reason))
        }
        let (_, truncated) = tcpListenersAndMalformed(header + BrokenTable.truncatedLast)
        #expect(truncated.first?.reason == "expected at least 10 columns, found 6")
    }

    @Test func aReasonQuotesAtMostAFewPrintableBytes() {
        // Any byte outside printable ASCII as \xNN, backslashes included: a log line stays one safe line.
        #expect(ProcNetSocketTable.quoted([0x41, 0x00, 0x1B, 0xFF, UInt8(ascii: "\\"), 0x7E]) == #"'A\x00\x1B\xFF\x5C~'"#)
        let longest = [UInt8](repeating: UInt8(ascii: "A"), count: ProcNetSocketTable.quotedBytes)
        #expect(ProcNetSocketTable.quoted(longest) == "'\(String(repeating: "A", count: ProcNetSocketTable.quotedBytes))'")
        #expect(ProcNetSocketTable.quoted(longest + [UInt8(ascii: "A")]).hasSuffix("A'…"))
    }

    @Test func theScannerTellsItsOwnerOncePerScanWhatItLeftOut() throws {
        let tree = try ProcTree(tables: ["udp": ProcNetFixtures.udp])
        try tree.write(Data(BrokenTable.table), to: "net/tcp")
        let told = Mutex<[MalformedLines]>([])
        let scanner = ListenerScanner(procRoot: tree.path, passwdPath: tree.passwdPath, maxAge: .seconds(60),
                                      skippedLines: { malformed in told.withLock { $0.append(malformed) } })
        let listeners = try scanner.listeners()
        #expect(listeners.filter { $0.transport == .tcp }.map(\.port) == [53, 2024, 3000, 5432, 8080])
        #expect(listeners.filter { $0.transport == .udp }.count == 3)
        _ = try scanner.listeners() // reused: no second report
        let reports = told.withLock { $0 }
        #expect(reports.count == 1)
        #expect(reports.first?.count == BrokenTable.broken.count + 1)
        #expect(reports.first?.first?.description
            == "\(tree.path)/net/tcp line \(BrokenTable.brokenLineNumbers[0]): expected at least 10 columns, found 5")
    }

    @Test func aCleanScanTellsNothing() throws {
        let tree = try capturedHost()
        let told = Mutex(0)
        let scanner = ListenerScanner(procRoot: tree.path, passwdPath: tree.passwdPath, maxAge: .zero,
                                      skippedLines: { _ in told.withLock { $0 += 1 } })
        #expect(try scanner.listeners().count == 17)
        #expect(told.withLock { $0 } == 0)
    }
}
