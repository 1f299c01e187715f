import CLinux
import Glibc

/// The process holding a socket.
package struct SocketOwner: Equatable {
    package let pid: Int
    package let process: String
}

/// Which process holds each socket, found in one pass over `/proc/<pid>/fd/*`, whose links read
/// `socket:[INODE]` for sockets. Only the inodes asked for are kept, and the pass stops once all
/// are found. Whatever cannot be read is skipped, as the owner not being visible: another user's
/// process when not root (EACCES), one that exits mid-pass (ENOENT, ESRCH), or the like.
///
/// The pass costs a readlinkat per descriptor of each process searched: 10,000 sockets in one
/// process are 10,000 links. Listing the fd folder costs the kernel half as much again, so where
/// procfs tells how many descriptors a process has (the size of `/proc/<pid>/fd`, since Linux
/// 6.2) the links are read by number from 0 instead: the kernel gives each new descriptor the
/// lowest free number, so all are among the first numbers but for a few holes. After
/// `probedHoles` unused numbers, the rest are found by listing the folder. A folder of fewer
/// than `probedCount` descriptors is listed at once: its listing is cheap, and numbers like
/// 255 (a shell's) leave holes.
package enum SocketOwners {
    /// Long enough for `socket:[` and a 64-bit inode and `]`; a longer link is not a socket.
    static let linkBufferSize = 64
    static let socketLinkPrefix = Array("socket:[".utf8)
    /// Unused descriptor numbers tried before a process's fd folder is listed instead.
    static let probedHoles = 16
    /// The fewest descriptors whose links are read by number.
    static let probedCount = 256
    /// statfs(2)'s f_type of procfs, whose fd folders' sizes count descriptors.
    static let procSuperMagic = 0x9FA0

    /// The owner of each of `inodes` that a process visible under `procRoot` holds. Processes
    /// are searched by increasing pid, so a socket shared after fork(2) goes to the lowest pid
    /// (usually the parent that opened it). Each process's name is read once, from its `comm`.
    package static func find(_ inodes: Set<UInt64>, procRoot: String) -> [UInt64: SocketOwner] {
        guard !inodes.isEmpty else { return [:] }
        let root = open(procRoot, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return [:] }
        defer { close(root) }
        let sizesCountDescriptors = sizesCountDescriptors(root)
        // 0 until the inode is found, then its holder's pid.
        var pidOfInode = Dictionary(uniqueKeysWithValues: inodes.lazy.map { ($0, 0) })
        var unfound = inodes.count
        var links = LinkReader()
        defer { links.deallocate() }
        for pid in processIDs(root) where unfound > 0 {
            let folder = openat(root, "\(pid)/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard folder >= 0 else { continue }
            defer { close(folder) }
            links.forEachLink(in: folder, sizeCountsDescriptors: sizesCountDescriptors) { target in
                guard let inode = socketInode(linkTarget: target), let index = pidOfInode.index(forKey: inode),
                      pidOfInode.values[index] == 0 else { return true }
                pidOfInode.values[index] = pid
                unfound -= 1
                return unfound > 0
            }
        }
        var nameOfPid: [Int: String?] = [:]
        var owners: [UInt64: SocketOwner] = [:]
        for (inode, pid) in pidOfInode where pid != 0 {
            let name = nameOfPid[pid] ?? processName(pid: pid, root: root)
            nameOfPid[pid] = name
            // No name means the process has gone since its fds were read: not visible after all.
            if let name { owners[inode] = SocketOwner(pid: pid, process: name) }
        }
        return owners
    }

    /// `socket:[12345]` -> 12345; nil for any other link (files, pipes, anon_inode:…).
    static func socketInode(linkTarget: some BidirectionalCollection<UInt8>) -> UInt64? {
        guard linkTarget.starts(with: socketLinkPrefix), linkTarget.last == UInt8(ascii: "]") else { return nil }
        return ASCIINumber.decimal(linkTarget.dropFirst(socketLinkPrefix.count).dropLast(), as: UInt64.self)
    }

    /// Whether the fd folders under `root` tell in their size how many descriptors they hold:
    /// procfs since Linux 6.2, where this process's own is never empty (`root` is open in it).
    /// A tree of a test's own, or an older kernel, has its folders listed.
    private static func sizesCountDescriptors(_ root: Int32) -> Bool {
        var fileSystem = statfs(), status = stat()
        return fstatfs(root, &fileSystem) == 0 && fileSystem.f_type == procSuperMagic
            && fstatat(root, "self/fd", &status, 0) == 0 && status.st_size > 0
    }

    /// The numeric entries of the folder, in increasing order; none when it cannot be listed.
    private static func processIDs(_ root: Int32) -> [Int] {
        var pids: [Int] = []
        DirectoryEntries.forEach(in: root) { name in
            if let pid = ASCIINumber.decimal(name, as: UInt32.self) { pids.append(Int(pid)) }
            return true
        }
        return pids.sorted()
    }

    /// `<pid>/comm` without its newline; nil when it cannot be read.
    private static func processName(pid: Int, root: Int32) -> String? {
        guard var comm = try? ProcFile.contents(of: "\(pid)/comm", relativeTo: root) else { return nil }
        if comm.last == UInt8(ascii: "\n") { comm.removeLast() }
        return String(decoding: comm, as: UTF8.self)
    }

    /// The links of a process's fd folder, read into buffers of its own made once per pass.
    private struct LinkReader {
        private let link = UnsafeMutableBufferPointer<CChar>.allocate(capacity: linkBufferSize)
        /// A descriptor number in decimal and a NUL.
        private let number = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 16)

        func deallocate() {
            link.deallocate()
            number.deallocate()
        }

        /// Calls `body` with each link's target while it returns true: by number while the
        /// folder's size says how many are left to find, else (and after too many holes) from
        /// the folder's listing.
        func forEachLink(in folder: Int32, sizeCountsDescriptors: Bool, _ body: (UnsafeRawBufferPointer) -> Bool) {
            var count = 0
            if sizeCountsDescriptors {
                var status = stat()
                guard fstat(folder, &status) == 0, status.st_size > 0 else { return } // a kernel thread's: none
                count = Int(status.st_size)
            }
            var found = 0, holes = 0, descriptor: UInt32 = 0
            while count >= probedCount, found < count, holes < probedHoles {
                writeDecimal(descriptor)
                descriptor += 1
                guard let target = target(in: folder, name: number.baseAddress!) else {
                    holes += 1
                    continue
                }
                found += 1
                if !body(target) { return }
            }
            guard found < count || count == 0 else { return }
            let probed = descriptor
            DirectoryEntries.forEach(in: folder) { name in
                guard let listed = ASCIINumber.decimal(name, as: UInt32.self), listed >= probed else { return true }
                // An fd closed since the listing is gone: no target.
                guard let target = target(in: folder, name: name.baseAddress!) else { return true }
                return body(target)
            }
        }

        /// The target of the link `name` (NUL-terminated) in `folder`; nil when it cannot be
        /// read or is too long to be a socket's.
        private func target(in folder: Int32, name: UnsafePointer<UInt8>) -> UnsafeRawBufferPointer? {
            let length = name.withMemoryRebound(to: CChar.self, capacity: 1) { readlinkat(folder, $0, link.baseAddress!, link.count) }
            guard length > 0, length < link.count else { return nil }
            return UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(link)[..<length])
        }

        private func writeDecimal(_ value: UInt32) {
            var digits = 0, rest = value
            repeat {
                digits += 1
                rest /= 10
            } while rest > 0
            number[digits] = 0
            rest = value
            for index in stride(from: digits - 1, through: 0, by: -1) {
                number[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
        }
    }
}
