import Foundation
@testable import HostState
import TestSupport
import Testing

/// This process's name as the kernel keeps it.
func ownProcessName() throws -> String {
    try String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
}

/// The user name the C library gives for this process's uid, else the uid.
func ownUserName() -> String {
    guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return String(geteuid()) }
    return String(cString: name)
}

/// A listening socket as both `ss` and a scan can say it, wildcards and scopes made alike:
/// ss writes `[::1]`, `*` (`::` without IPV6_V6ONLY, and on old versions `0.0.0.0`), `[::]`,
/// `[::ffff:127.0.0.1]` and `127.0.0.53%lo` (bound to a device) where a scan says `::1`, `::`,
/// `::ffff:127.0.0.1` and `127.0.0.53`.
struct SocketKey: Hashable, CustomStringConvertible {
    static let wildcard = "*"
    let transport: String
    let address: String
    let port: Int

    init(transport: String, address: some StringProtocol, port: Int) {
        var address = String(address)
        if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        if let scope = address.firstIndex(of: "%") { address = String(address[..<scope]) }
        if ["0.0.0.0", "::", "*"].contains(address) { address = Self.wildcard }
        self.transport = transport
        self.address = address
        self.port = port
    }

    init(_ listener: Listener) {
        self.init(transport: listener.transport.rawValue, address: listener.address, port: listener.port)
    }

    var description: String { "\(transport) \(address) \(port)" }
}

/// `ss -H -tuln`'s sockets, or nil when there is no working `ss` here.
func ssListeningSockets() -> Set<SocketKey>? {
    guard let ss = ["/usr/bin/ss", "/bin/ss", "/usr/sbin/ss", "/sbin/ss"].first(where: FileManager.default.isExecutableFile) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ss)
    process.arguments = ["-H", "-tuln"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    var sockets = Set<SocketKey>()
    // Netid State Recv-Q Send-Q Local-Address:Port Peer-Address:Port
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        let columns = line.split(separator: " ", omittingEmptySubsequences: true)
        guard columns.count >= 5, let colon = columns[4].lastIndex(of: ":"),
              let port = Int(columns[4][columns[4].index(after: colon)...]) else { continue }
        sockets.insert(SocketKey(transport: String(columns[0]), address: columns[4][..<colon], port: port))
    }
    return sockets
}

@Suite(.needsProcNet)
struct RealSocketTests {
    static let comparisonAttempts = 5

    @Test func ownSocketsAppearWithThisProcessAndGoWhenClosed() throws {
        let sockets = [LoopbackSocket(.tcp, .ipv4), LoopbackSocket(.udp, .ipv4), LoopbackSocket(.tcp, .ipv6), LoopbackSocket(.udp, .ipv6)]
        try #require(sockets[0] != nil && sockets[1] != nil, "cannot bind 127.0.0.1")
        let open = sockets.compactMap { $0 }
        let scanner = ListenerScanner(maxAge: .zero)
        let listeners = try scanner.listeners()
        for socket in open {
            let listed = socket.isListed(in: listeners)
            #expect(listed?.pid == Int(getpid()), "\(socket.transport) \(socket.address):\(socket.port)")
            #expect(listed?.process == (try ownProcessName()))
            #expect(listed?.user == ownUserName())
        }
        for socket in open { socket.closeSocket() }
        let afterClose = try scanner.listeners()
        for socket in open {
            #expect(socket.isListed(in: afterClose)?.pid != Int(getpid()), "\(socket.transport) \(socket.address):\(socket.port)")
        }
    }

    @Test(.enabled(if: ssListeningSockets() != nil, "needs ss (iproute2)"))
    func theSameSocketsAsSs() throws {
        // Other processes open and close sockets meanwhile: a scan between two ss runs must hold
        // every socket both runs saw, and only sockets one of them saw. Retried for the unlucky moment.
        let keep = [LoopbackSocket(.tcp, .ipv4), LoopbackSocket(.udp, .ipv4), LoopbackSocket(.tcp, .ipv6), LoopbackSocket(.udp, .ipv6)]
        let scanner = ListenerScanner(maxAge: .zero)
        var mismatch = ""
        for _ in 0..<Self.comparisonAttempts {
            let before = try #require(ssListeningSockets())
            let scanned = Set(try scanner.listeners().map(SocketKey.init))
            let after = try #require(ssListeningSockets())
            let missing = before.intersection(after).subtracting(scanned)
            let extra = scanned.subtracting(before.union(after))
            if missing.isEmpty && extra.isEmpty {
                let kept = keep.compactMap { $0 }.map { SocketKey(transport: $0.transport.rawValue, address: $0.address, port: $0.port) }
                #expect(scanned.isSuperset(of: kept))
                return
            }
            mismatch = "missing from the scan: \(missing.sorted(by: { $0.description < $1.description })); "
                + "not in ss: \(extra.sorted(by: { $0.description < $1.description }))"
        }
        Issue.record(Comment(rawValue: mismatch))
    }
}
