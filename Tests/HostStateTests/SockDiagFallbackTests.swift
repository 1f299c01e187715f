import CLinux
import Glibc
@testable import HostState
import TestSupport
import Testing

func hostReading(_ sockDiag: SockDiagReader) throws(HostStateError) -> ListenerReader.Reading {
    try ListenerReader(sockDiag: sockDiag, procRoot: "/proc", passwdPath: "/etc/passwd").read()
}

/// A scan of the host reads sock_diag, and the /proc/net tables where netlink is refused, with
/// the same answer either way.
@Suite(.needsProcNet)
struct SockDiagFallbackTests {
    static let comparisonAttempts = 5

    @Test(arguments: [
        (SockDiagReader(netlinkProtocol: MAX_LINKS), SockDiagError.socketRefused(SystemCallError(code: EPROTONOSUPPORT))),
        (SockDiagReader(requests: [SockDiagRequest(.udp, .ipv6, protocolNumber: 254)]), SockDiagError.dumpRefused(SystemCallError(code: ENOENT))),
    ])
    func whereNetlinkIsRefusedTheTablesAnswer(refused: SockDiagReader, failure: SockDiagError) throws {
        let socket = try #require(LoopbackSocket(.tcp, .ipv4), "cannot bind 127.0.0.1")
        let reading = try hostReading(refused)
        #expect(reading.source == .procNet(sockDiagFailure: failure))
        let listed = socket.isListed(in: reading.listeners)
        #expect(listed?.pid == Int(getpid()))
        #expect(listed?.user == ownUserName())
    }

    @Test func netlinkAnswersWhereItIsAllowed() throws {
        let socket = try #require(LoopbackSocket(.udp, .ipv4), "cannot bind 127.0.0.1")
        let reading = try hostReading(SockDiagReader())
        #expect(reading.source == .sockDiag)
        #expect(socket.isListed(in: reading.listeners)?.pid == Int(getpid()))
    }

    @Test func netlinkAndTheTablesTellTheSameListeners() throws {
        // Other processes open and close sockets meanwhile: retried for the unlucky moment.
        let keep = [LoopbackSocket(.tcp, .ipv4), LoopbackSocket(.udp, .ipv4), LoopbackSocket(.tcp, .ipv6), LoopbackSocket(.udp, .ipv6)]
        var mismatch = ""
        for _ in 0..<Self.comparisonAttempts {
            let fromNetlink = try hostReading(SockDiagReader()).listeners
            let fromTables = try hostReading(SockDiagReader(netlinkProtocol: MAX_LINKS)).listeners
            if fromNetlink == fromTables {
                #expect(keep.compactMap { $0 }.allSatisfy { $0.isListed(in: fromNetlink) != nil })
                return
            }
            mismatch = "only from netlink: \(Set(fromNetlink).subtracting(fromTables)); only from the tables: \(Set(fromTables).subtracting(fromNetlink))"
        }
        Issue.record(Comment(rawValue: mismatch))
    }
}
