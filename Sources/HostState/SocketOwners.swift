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
package enum SocketOwners {
    /// Long enough for `socket:[` and a 64-bit inode and `]`; a longer link is not a socket.
    static let linkBufferSize = 64
    static let socketLinkPrefix = Array("socket:[".utf8)

    /// The owner of each of `inodes` that a process visible under `procRoot` holds. Processes
    /// are searched by increasing pid, so a socket shared after fork(2) goes to the lowest pid
    /// (usually the parent that opened it). Each process's name is read once, from its `comm`.
    package static func find(_ inodes: Set<UInt64>, procRoot: String) -> [UInt64: SocketOwner] {
        guard !inodes.isEmpty else { return [:] }
        var wanted = inodes
        var pidOfInode: [UInt64: Int] = [:]
        for pid in processIDs(procRoot: procRoot) {
            guard !wanted.isEmpty else { break }
            forEachSocketInode(ofProcess: pid, procRoot: procRoot) { inode in
                if wanted.remove(inode) != nil { pidOfInode[inode] = pid }
                return !wanted.isEmpty
            }
        }
        var nameOfPid: [Int: String?] = [:]
        var owners: [UInt64: SocketOwner] = [:]
        for (inode, pid) in pidOfInode {
            let name = nameOfPid[pid] ?? processName(pid: pid, procRoot: procRoot)
            nameOfPid[pid] = name
            // No name means the process has gone since its fds were read: not visible after all.
            if let name { owners[inode] = SocketOwner(pid: pid, process: name) }
        }
        return owners
    }

    /// The numeric entries of `procRoot`, in increasing order; none when it cannot be listed.
    private static func processIDs(procRoot: String) -> [Int] {
        guard let directory = opendir(procRoot) else { return [] }
        defer { closedir(directory) }
        var pids: [Int] = []
        while let entry = readdir(directory) {
            let pid = withUnsafeBytes(of: entry.pointee.d_name) { name in
                ASCIINumber.decimal(name.prefix { $0 != 0 }, as: UInt32.self)
            }
            if let pid { pids.append(Int(pid)) }
        }
        return pids.sorted()
    }

    /// Calls `body` with the inode of each socket among the process's fds while it returns true.
    private static func forEachSocketInode(ofProcess pid: Int, procRoot: String, _ body: (UInt64) -> Bool) {
        let descriptor = open("\(procRoot)/\(pid)/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        guard let directory = fdopendir(descriptor) else {
            close(descriptor)
            return
        }
        defer { closedir(directory) }
        let link = UnsafeMutableBufferPointer<CChar>.allocate(capacity: linkBufferSize)
        defer { link.deallocate() }
        while let entry = readdir(directory) {
            let length = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name.withMemoryRebound(to: CChar.self) { readlinkat(descriptor, $0.baseAddress!, link.baseAddress!, link.count) }
            }
            // "." and ".." are not links, and an fd closed since readdir is gone: both fail here.
            guard length > 0, length < linkBufferSize else { continue }
            let target = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: link[..<length]))
            if let inode = socketInode(linkTarget: target), !body(inode) { return }
        }
    }

    /// `socket:[12345]` -> 12345; nil for any other link (files, pipes, anon_inode:…).
    static func socketInode(linkTarget: some BidirectionalCollection<UInt8>) -> UInt64? {
        guard linkTarget.starts(with: socketLinkPrefix), linkTarget.last == UInt8(ascii: "]") else { return nil }
        return ASCIINumber.decimal(linkTarget.dropFirst(socketLinkPrefix.count).dropLast(), as: UInt64.self)
    }

    /// `/proc/<pid>/comm` without its newline; nil when it cannot be read.
    private static func processName(pid: Int, procRoot: String) -> String? {
        guard var comm = try? ProcFile.contents(of: "\(procRoot)/\(pid)/comm") else { return nil }
        if comm.last == UInt8(ascii: "\n") { comm.removeLast() }
        return String(decoding: comm, as: UTF8.self)
    }
}
