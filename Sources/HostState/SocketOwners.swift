import Basics
import CLinux
import Glibc
import Synchronization

/// The process holding a socket.
package struct SocketOwner: Equatable {
    package let pid: Int
    package let process: String
}

/// Which process holds each socket, from the links of `/proc/<pid>/fd/*` (DescriptorLinks).
/// Processes are searched by increasing pid until every socket asked for is placed, so a socket
/// shared after fork(2) goes to the lowest pid (usually the parent that opened it). Whatever
/// cannot be read is skipped, as the owner not being visible: another user's process when not
/// root (EACCES), one that exits mid-pass (ENOENT, ESRCH), or the like.
///
/// Reading every descriptor's link is most of a scan's cost, so where procfs tells how many
/// descriptors a process has (the size of `/proc/<pid>/fd`, since Linux 6.2) the sockets found
/// in each process are remembered for the next pass, and used again while the process's fd
/// folder is the same (the same inode: not a new process under a reused pid) and holds as many
/// descriptors: one stat per process instead of a link per descriptor. A socket the remembered
/// processes cannot place (one opened as another was closed, the count unchanged) has them read
/// afresh; one that still has no owner then is remembered as such, and costs nothing more.
/// What this misses: a process that closes its copy of a socket some other process still holds,
/// and opens as many descriptors as it closed, is still shown holding it until its count changes.
package final class SocketOwners: Sendable {
    /// statfs(2)'s f_type of procfs, whose fd folders' sizes count descriptors.
    static let procSuperMagic = 0x9FA0

    let procRoot: String
    private let memory = Mutex(Memory())

    private struct Memory {
        var processes: [Int: RememberedProcess] = [:]
        /// Sockets that no process could be found holding when every process was read afresh.
        var unplaced: Set<UInt64> = []
    }

    /// A process's sockets as its fd folder listed them, and what the folder was then.
    private struct RememberedProcess {
        let folder: FolderState
        let socketInodes: [UInt64]
    }

    private struct FolderState: Equatable {
        let inode: UInt64
        let descriptors: Int
    }

    package init(procRoot: String) {
        self.procRoot = procRoot
    }

    /// The owner of each of `inodes` that a process visible under `procRoot` holds; each
    /// process's name is read from its `comm`.
    package func find(_ inodes: Set<UInt64>) -> [UInt64: SocketOwner] {
        guard !inodes.isEmpty else { return [:] }
        let root = open(procRoot, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return [:] }
        defer { close(root) }
        let remembers = Self.sizesCountDescriptors(root)
        let pids = Self.processIDs(root)
        var placing = Placing(inodes)
        let links = DescriptorLinks()
        memory.withLock { memory in
            var reused: [Int] = []
            for pid in pids where !placing.isDone {
                guard remembers else {
                    if let sockets = Self.socketInodes(ofProcess: pid, root: root, count: nil, links: links) { placing.offer(sockets, from: pid) }
                    continue
                }
                guard let folder = Self.folderState(ofProcess: pid, root: root), folder.descriptors > 0 else {
                    memory.processes[pid] = nil // gone, not visible, or a kernel thread's: none
                    continue
                }
                if let known = memory.processes[pid], known.folder == folder {
                    reused.append(pid)
                    placing.offer(known.socketInodes, from: pid)
                } else if let sockets = Self.socketInodes(ofProcess: pid, root: root, count: folder.descriptors, links: links) {
                    memory.processes[pid] = RememberedProcess(folder: folder, socketInodes: sockets)
                    placing.offer(sockets, from: pid)
                }
            }
            let alive = Set(pids)
            memory.processes = memory.processes.filter { alive.contains($0.key) }
            if !placing.isDone, !reused.isEmpty, !placing.unplaced.isSubset(of: memory.unplaced) {
                // Offered after every other process: any of those holding these would have placed them.
                for pid in reused where !placing.isDone {
                    guard let folder = Self.folderState(ofProcess: pid, root: root),
                          let sockets = Self.socketInodes(ofProcess: pid, root: root, count: folder.descriptors, links: links)
                    else { continue }
                    memory.processes[pid] = RememberedProcess(folder: folder, socketInodes: sockets)
                    placing.offer(sockets, from: pid)
                }
            }
            memory.unplaced = placing.unplaced
        }
        var nameOfPid: [Int: String?] = [:]
        var owners: [UInt64: SocketOwner] = [:]
        for (inode, pid) in placing.pidOfInode where pid != Placing.none {
            let name = nameOfPid[pid] ?? Self.processName(pid: pid, root: root)
            nameOfPid[pid] = name
            // No name means the process has gone since its fds were read: not visible after all.
            if let name { owners[inode] = SocketOwner(pid: pid, process: name) }
        }
        return owners
    }

    /// The sockets asked for, each with the first pid offered holding it.
    private struct Placing {
        static let none = 0
        private(set) var pidOfInode: [UInt64: Int]
        private var left: Int

        init(_ inodes: Set<UInt64>) {
            pidOfInode = Dictionary(uniqueKeysWithValues: inodes.lazy.map { ($0, Self.none) })
            left = inodes.count
        }

        var isDone: Bool { left == 0 }

        var unplaced: Set<UInt64> {
            isDone ? [] : Set(pidOfInode.lazy.filter { $0.value == Self.none }.map(\.key))
        }

        mutating func offer(_ socketInodes: [UInt64], from pid: Int) {
            for inode in socketInodes {
                guard let index = pidOfInode.index(forKey: inode), pidOfInode.values[index] == Self.none else { continue }
                pidOfInode.values[index] = pid
                left -= 1
            }
        }
    }

    /// Whether the fd folders under `root` tell in their size how many descriptors they hold:
    /// procfs since Linux 6.2, where this process's own is never empty (`root` is open in it).
    /// A tree of a test's own, or an older kernel, has its folders listed every time.
    private static func sizesCountDescriptors(_ root: Int32) -> Bool {
        var fileSystem = statfs(), status = stat()
        return fstatfs(root, &fileSystem) == 0 && fileSystem.f_type == procSuperMagic
            && fstatat(root, "self/fd", &status, 0) == 0 && status.st_size > 0
    }

    /// The numeric entries of the folder, in increasing order; none when it cannot be listed.
    private static func processIDs(_ root: Int32) -> [Int] {
        var pids: [Int] = []
        DirectoryEntries.forEach(in: root) { name in
            if let pid = ASCII.decimal(name, as: UInt32.self) { pids.append(Int(pid)) }
            return true
        }
        return pids.sorted()
    }

    private static func folderState(ofProcess pid: Int, root: Int32) -> FolderState? {
        var status = stat()
        guard fstatat(root, "\(pid)/fd", &status, 0) == 0 else { return nil }
        return FolderState(inode: UInt64(status.st_ino), descriptors: Int(status.st_size))
    }

    /// nil when the process's fd folder cannot be opened.
    private static func socketInodes(ofProcess pid: Int, root: Int32, count: Int?, links: borrowing DescriptorLinks) -> [UInt64]? {
        let folder = openat(root, "\(pid)/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return nil }
        defer { close(folder) }
        return links.socketInodes(in: folder, count: count)
    }

    /// `<pid>/comm` without its newline; nil when it cannot be read.
    private static func processName(pid: Int, root: Int32) -> String? {
        guard var comm = try? ProcFile.contents(of: "\(pid)/comm", relativeTo: root) else { return nil }
        if comm.last == UInt8(ascii: "\n") { comm.removeLast() }
        return String(decoding: comm, as: UTF8.self)
    }
}
