import Glibc

/// What a database file looks like from outside, cheaply: enough to notice that it was replaced
/// (another inode), overwritten in place (SQLite's file change counter, size, modification
/// time), truncated or deleted, without opening it. A server compares it every second or so.
public struct DatabaseFileState: Equatable, Sendable {
    public let inode: UInt64
    public let size: Int
    public let modified: Int
    /// Bytes 24-27 of the SQLite header: bumped by every write transaction.
    public let changeCounter: UInt32

    /// The state of the file at `path` now; nil when there is none.
    public init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        inode = UInt64(status.st_ino)
        size = Int(status.st_size)
        modified = Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec)
        var header = [UInt8](repeating: 0, count: 28)
        let read = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 28, 0) }
        changeCounter = read == 28 ? header[24...27].reduce(0) { $0 << 8 | UInt32($1) } : 0
    }
}
