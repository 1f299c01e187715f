import Basics
import Glibc

/// The sockets among a process's descriptors, read from the links of its fd folder
/// (`/proc/<pid>/fd/N -> socket:[INODE]`), one readlinkat each: 10,000 sockets in one process are
/// 10,000 links. Listing the folder costs the kernel half as much again, so where procfs tells
/// how many descriptors a process has, the links are read by number from 0 instead: the kernel
/// gives each new descriptor the lowest free number, so all are among the first numbers but for
/// a few holes. After `probedHoles` unused numbers, the rest are found by listing the folder. A
/// folder of fewer than `probedCount` descriptors is listed at once: its listing is cheap, and
/// numbers like 255 (a shell's) leave holes.
///
/// Its buffers are made once and reused for every process of a pass.
struct DescriptorLinks: ~Copyable {
    /// Long enough for `socket:[` and a 64-bit inode and `]`; a longer link is not a socket.
    static let linkBufferSize = 64
    static let socketLinkPrefix = Array("socket:[".utf8)
    /// Unused descriptor numbers tried before a process's fd folder is listed instead.
    static let probedHoles = 16
    /// The fewest descriptors whose links are read by number.
    static let probedCount = 256

    private let link = UnsafeMutableBufferPointer<CChar>.allocate(capacity: linkBufferSize)
    /// A descriptor number in decimal and a NUL.
    private let number = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 16)

    deinit {
        link.deallocate()
        number.deallocate()
    }

    /// The inodes of the sockets in the fd folder `folder`, which holds `count` descriptors
    /// (nil: not known, and the folder is listed). A descriptor closed meanwhile is not there.
    func socketInodes(in folder: Int32, count: Int?) -> [UInt64] {
        var inodes: [UInt64] = []
        var found = 0, holes = 0, descriptor: UInt32 = 0
        if let count, count >= Self.probedCount {
            while found < count, holes < Self.probedHoles {
                writeDecimal(descriptor)
                descriptor += 1
                guard let target = target(in: folder, name: number.baseAddress!) else {
                    holes += 1
                    continue
                }
                found += 1
                if let inode = Self.socketInode(linkTarget: target) { inodes.append(inode) }
            }
            if found == count { return inodes }
        }
        let probed = descriptor
        DirectoryEntries.forEach(in: folder) { name in
            if let listed = ASCII.decimal(name, as: UInt32.self), listed >= probed,
               let target = target(in: folder, name: name.baseAddress!), let inode = Self.socketInode(linkTarget: target) {
                inodes.append(inode)
            }
            return true
        }
        return inodes
    }

    /// `socket:[12345]` -> 12345; nil for any other link (files, pipes, anon_inode:…).
    static func socketInode(linkTarget: some BidirectionalCollection<UInt8>) -> UInt64? {
        guard linkTarget.starts(with: socketLinkPrefix), linkTarget.last == UInt8(ascii: "]") else { return nil }
        return ASCII.decimal(linkTarget.dropFirst(socketLinkPrefix.count).dropLast(), as: UInt64.self)
    }

    /// The target of the link `name` (NUL-terminated) in `folder`; nil when it cannot be read
    /// (gone, or not a link: `.` and `..`) or is too long to be a socket's.
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
