@testable import HostState
import Testing
import TestSupport

/// The four captured tables, with processes 30930 (root) and 30945 (uid 1000) holding the sockets
/// as they did when captured; the owner of 0.0.0.0:2024 (inode 1603) is not in the tree, as it
/// was not visible then (another pid namespace).
func capturedHost() throws -> ProcTree {
    let tree = try ProcTree(
        tables: ["tcp": ProcNetFixtures.tcp, "tcp6": ProcNetFixtures.tcp6, "udp": ProcNetFixtures.udp, "udp6": ProcNetFixtures.udp6],
        passwd: "root:x:0:0:root:/root:/bin/bash\ncloudsdk:x:1000:1000::/home/cloudsdk:/bin/bash\n"
    )
    let rootSockets: [Int: UInt64] = [
        3: 110_349, 4: 110_350, 5: 110_351, 6: 110_352, 7: 110_353, 8: 110_354, 9: 110_355, 11: 110_356,
        12: 110_357, 13: 110_358, 14: 110_359, 15: 110_360, 16: 110_361, 17: 110_362, 18: 110_363,
        19: 110_364, 20: 110_365, 21: 110_366, 22: 110_367, 23: 110_368,
    ]
    var rootFDs = rootSockets.mapValues { "socket:[\($0)]" }
    rootFDs[0] = "/dev/null"
    rootFDs[1] = "/tmp/capture/pid.txt"
    rootFDs[251] = "pipe:[110319]"
    try tree.addProcess(pid: 30930, comm: "python3", fds: rootFDs)
    try tree.addProcess(pid: 30945, comm: "python3", fds: [0: "/dev/null", 3: "socket:[110930]", 4: "socket:[110931]"])
    return tree
}

/// The listeners a reading of `tree`'s tables finds, every line of them readable.
func read(_ tree: ProcTree) throws(HostStateError) -> [Listener] {
    let reading = try ListenerReader(sockDiag: nil, procRoot: tree.path, passwdPath: tree.passwdPath).read()
    #expect(reading.malformed.count == 0, "\(reading.malformed.first.map(String.init(describing:)) ?? "")")
    #expect(reading.source == .procNet(sockDiagFailure: nil))
    return reading.listeners
}

func listener(_ transport: Listener.Transport, _ family: Listener.Family, _ address: String, _ port: Int,
              pid: Int? = 30930, process: String? = "python3", user: String? = "root") -> Listener {
    Listener(transport: transport, family: family, address: address, port: port,
             pid: pid, process: pid == nil ? nil : process, user: user)
}

@Suite(.needsLittleEndianHost)
struct ListenerReaderTests {
    @Test func theCapturedHostAsSsShowedIt() throws {
        #expect(try read(capturedHost()) == [
            listener(.tcp, .ipv4, "127.0.0.53", 53),
            listener(.tcp, .ipv6, "::", 80),
            listener(.tcp, .ipv6, "fd00::2", 443),
            listener(.tcp, .ipv6, "::1", 631),
            listener(.tcp, .ipv4, "0.0.0.0", 2024, pid: nil),
            listener(.tcp, .ipv4, "127.0.0.1", 3000, pid: 30945, user: "cloudsdk"),
            listener(.tcp, .ipv4, "0.0.0.0", 5432),
            listener(.tcp, .ipv4, "127.0.0.1", 8080),
            listener(.tcp, .ipv6, "::ffff:127.0.0.1", 9090),
            listener(.udp, .ipv4, "127.0.0.53", 53),
            listener(.udp, .ipv4, "0.0.0.0", 68),
            listener(.udp, .ipv6, "::1", 123),
            listener(.udp, .ipv6, "fd00::2", 546),
            listener(.udp, .ipv6, "::", 1900, pid: 30945, user: "cloudsdk"),
            listener(.udp, .ipv6, "::ffff:127.0.0.1", 4500),
            listener(.udp, .ipv6, "::", 5353),
            listener(.udp, .ipv4, "127.0.0.1", 44406),
        ])
    }

    @Test func aUidWithoutAPasswdEntryIsShownAsItsNumber() throws {
        let tree = try capturedHost()
        try tree.write("root:x:0:0:root:/root:/bin/bash\n", to: "passwd")
        #expect(try read(tree).first { $0.port == 3000 }?.user == "1000")
    }

    @Test func aSharedSocketBelongsToTheLowestPidNumerically() throws {
        // "10" sorts before "9" as text, and readdir's order is the filesystem's: neither may decide.
        let tree = try ProcTree(tables: ["tcp": ProcNetFixtures.tcp])
        try tree.addProcess(pid: 10, comm: "worker", fds: [3: "socket:[110349]"])
        try tree.addProcess(pid: 9, comm: "master", fds: [3: "socket:[110349]"])
        try tree.addProcess(pid: 100, comm: "worker", fds: [3: "socket:[110349]"])
        let owner = try read(tree).first { $0.port == 8080 }
        #expect(owner?.pid == 9)
        #expect(owner?.process == "master")
    }

    @Test func whateverCannotBeReadLeavesTheOwnerUnknownNotAnError() throws {
        let tree = try ProcTree(tables: ["tcp": ProcNetFixtures.tcp])
        // A process gone between reading its fds and its comm: not visible after all.
        try tree.addProcess(pid: 40, comm: nil, fds: [3: "socket:[110349]"])
        // A process whose fd folder is gone (exited) or is not a folder.
        try tree.makeFolder("41")
        try tree.makeFolder("42")
        try tree.write("not a folder", to: "42/fd")
        // Links that are not sockets or not well formed, and a file where a link should be.
        try tree.addProcess(pid: 43, comm: "odd", fds: [0: "socket:[]", 1: "socket:[12x]", 2: "socket:110350", 3: "anon_inode:[eventfd]",
                                                     4: "socket:[18446744073709551616]", 5: String(repeating: "x", count: 200)])
        try tree.write("", to: "43/fd/6")
        // Entries of /proc that are not processes.
        try tree.makeFolder("self/fd")
        try tree.makeFolder("1a/fd")
        try tree.write("", to: "sys")
        let listeners = try read(tree)
        #expect(listeners.count == 5)
        #expect(listeners.allSatisfy { $0.pid == nil && $0.process == nil })
        #expect(listeners.map(\.user) == ["root", "root", "1000", "root", "root"]) // ports 53, 2024, 3000, 5432, 8080
    }

    @Test func withoutNetTheScanSaysUnsupported() throws {
        let tree = try ProcTree()
        try tree.remove("net")
        #expect(throws: HostStateError.unsupported(procRoot: tree.path)) { try read(tree) }
        let message = HostStateError.unsupported(procRoot: "/proc").description
        #expect(message == "listening sockets are unsupported here: /proc/net does not exist (portinfo reads them from Linux's /proc/net)")
        #expect(throws: HostStateError.unsupported(procRoot: "/nonexistent")) {
            try ListenerReader(sockDiag: nil, procRoot: "/nonexistent", passwdPath: "/etc/passwd").read()
        }
    }

    @Test func aKernelWithoutIPv6HasNoTcp6OrUdp6() throws {
        let tree = try ProcTree(tables: ["tcp": ProcNetFixtures.tcp, "udp": ProcNetFixtures.udp])
        let listeners = try read(tree)
        #expect(listeners.count == 8)
        #expect(listeners.allSatisfy { $0.family == .ipv4 })
    }

    @Test func anUnreadableTableIsAnErrorNamingIt() throws {
        let tree = try ProcTree(tables: ["tcp": ProcNetFixtures.tcp])
        try tree.makeFolder("net/udp")
        #expect(throws: HostStateError.unreadable(path: "\(tree.path)/net/udp", reason: "Is a directory")) { try read(tree) }
    }

    @Test func theScannerReadsTheTreeItIsGiven() throws {
        let tree = try capturedHost()
        let scanner = ListenerScanner(procRoot: tree.path, passwdPath: tree.passwdPath)
        #expect(try scanner.listeners() == read(tree))
    }
}
