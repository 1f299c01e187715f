import CLinux
import Glibc
@testable import HostState
import TestSupport
import Testing

/// A real child process with descriptors of a test's choosing, killed when released.
final class ChildProcess {
    let pid: pid_t

    /// Runs `arguments` (the first an absolute path) with `descriptors`: the child's descriptor
    /// numbers and the descriptors of this process copied there, in order (a later copy may
    /// overwrite the number an earlier one was copied from).
    init?(_ arguments: [String], descriptors: [(childNumber: Int32, descriptor: Int32)]) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (childNumber, descriptor) in descriptors { posix_spawn_file_actions_adddup2(&actions, descriptor, childNumber) }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, arguments[0], &actions, nil, argv, environ) == 0 else { return nil }
        self.pid = pid
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// How many descriptors the child has, as procfs counts them (0 before Linux 6.2).
    var descriptorCount: Int {
        var status = stat()
        return stat("/proc/\(pid)/fd", &status) == 0 ? Int(status.st_size) : 0
    }

    /// The inode of the socket at the child's descriptor `number`, read from its link.
    func socketInode(at number: Int32) -> UInt64? {
        var target = [CChar](repeating: 0, count: 64)
        let length = readlink("/proc/\(pid)/fd/\(number)", &target, target.count)
        guard length > 0 else { return nil }
        return DescriptorLinks.socketInode(linkTarget: target[..<length].map { UInt8(bitPattern: $0) })
    }
}

/// A pipe whose ends are closed when released.
final class DescriptorPipe {
    let readEnd: Int32
    let writeEnd: Int32

    init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw SystemCallError.last }
        (readEnd, writeEnd) = (ends[0], ends[1])
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    func writeLine(_ line: String) {
        _ = (line + "\n").withCString { write(writeEnd, $0, strlen($0)) }
    }

    /// Up to the next newline, or nil at end of file.
    func readLine() -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(readEnd, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return nil
    }
}

/// Owners found in the host's /proc, through a reading as a scan makes it.
@Suite(.needsProcNet)
struct SocketOwnersTests {
    static let probedDescriptors: Int32 = 300
    static let pastTheHoles: Int32 = 700

    @Test func aProcessWithManyDescriptorsAndHolesIsSearchedToTheEnd() throws {
        // The child holds `shared` at 3..<300, read by number, and `own` alone at 700, past more
        // holes than are probed, found by listing its folder. This process holds `shared` too.
        let shared = try #require(LoopbackSocket(.tcp, .ipv4), "cannot bind 127.0.0.1")
        let own = try #require(LoopbackSocket(.udp, .ipv4), "cannot bind 127.0.0.1")
        let layout = [(Self.pastTheHoles, own.descriptor)] + (3..<Self.probedDescriptors).map { ($0, shared.descriptor) }
        let holder = try #require(ChildProcess(["/bin/sleep", "60"], descriptors: layout))
        #expect(waitUntil {
            var status = stat()
            return stat("/proc/\(holder.pid)/fd/\(Self.pastTheHoles)", &status) == 0
        })
        own.closeSocket()
        for reading in [try hostReading(SockDiagReader()), try hostReading(SockDiagReader(netlinkProtocol: MAX_LINKS))] {
            let listed = own.isListed(in: reading.listeners)
            #expect(listed?.pid == Int(holder.pid), "\(reading.source)")
            #expect(listed?.process == "sleep")
            // Both processes hold `shared`: the lower pid names it (pids wrap, so either may be lower).
            #expect(shared.isListed(in: reading.listeners)?.pid == Int(min(getpid(), holder.pid)))
        }
    }

    @Test func onlyTheInodesAskedForAreAnswered() throws {
        let socket = try #require(LoopbackSocket(.tcp, .ipv4), "cannot bind 127.0.0.1")
        let inode = try #require(socket.inode)
        let owners = SocketOwners(procRoot: "/proc")
        #expect(owners.find([inode, Self.noSuchInode]) == [inode: SocketOwner(pid: Int(getpid()), process: try ownProcessName())])
        #expect(owners.find([]).isEmpty)
    }

    static let noSuchInode = UInt64(UInt32.max) + 1

    @Test(.needsTools("/bin/bash", from: "bash"))
    func aSocketOpenedAsAnotherDescriptorClosedIsFound() throws {
        // bash swaps its /dev/null at 4 for a new TCP connection (/dev/tcp): as many descriptors
        // as before, so what was remembered of it no longer holds.
        let listener = try #require(LoopbackSocket(.tcp, .ipv4), "cannot bind 127.0.0.1")
        let (input, output) = (try DescriptorPipe(), try DescriptorPipe())
        let script = "exec 4</dev/null; echo ready; read go; exec 4<>/dev/tcp/127.0.0.1/\(listener.port); echo done; read end"
        let shell = try #require(ChildProcess(["/bin/bash", "-c", script], descriptors: [(Int32(0), input.readEnd), (Int32(1), output.writeEnd)]))
        #expect(output.readLine() == "ready")
        let owners = SocketOwners(procRoot: "/proc")
        // An inode no process holds: every process is read, and remembered.
        #expect(owners.find([Self.noSuchInode]).isEmpty)
        let before = shell.descriptorCount
        input.writeLine("go")
        #expect(output.readLine() == "done")
        try #require(shell.descriptorCount == before, "bash changed how many descriptors it has")
        let connection = try #require(shell.socketInode(at: 4))
        let expected = [connection: SocketOwner(pid: Int(shell.pid), process: "bash")]
        #expect(owners.find([connection, Self.noSuchInode]) == expected)
        #expect(owners.find([connection]) == expected)
    }
}
