import Glibc

/// What a watched file (the registry database, the site file) looks like from outside, cheaply
/// and without blocking: enough to notice that it was replaced (another inode), overwritten in
/// place (SQLite's file change counter, size, modification time), truncated, deleted, made
/// unreadable or replaced by something that is not a regular file, without reading it. A server
/// compares it every second or so.
public enum WatchedFileState: Equatable, Sendable {
    case missing
    /// There, but not a regular file that can be read (`FileAccessError.Problem`).
    case unusable(FileAccessError.Problem)
    case regular(Fingerprint)

    public struct Fingerprint: Equatable, Sendable {
        let inode: UInt64
        let size: Int
        let modified: Int
        /// Bytes 24-27 of an SQLite header: bumped by every write transaction (0 for other files).
        let changeCounter: UInt32
    }

    /// The state of the file at `path` now.
    public init(path: String) {
        let file: RegularFile
        do {
            file = try RegularFile(opening: path)
        } catch {
            self = error.problem == .missing ? .missing : .unusable(error.problem)
            return
        }
        var header = [UInt8](repeating: 0, count: 28)
        let read = (try? header.withUnsafeMutableBytes { (buffer) throws(FileAccessError) in try file.read(into: buffer) }) ?? 0
        self = .regular(Fingerprint(
            inode: UInt64(file.status.st_ino), size: file.size,
            modified: Int(file.status.st_mtim.tv_sec) * 1_000_000_000 + Int(file.status.st_mtim.tv_nsec),
            changeCounter: read == 28 ? header[24...27].reduce(0) { $0 << 8 | UInt32($1) } : 0))
    }

    public var isMissing: Bool { self == .missing }
}
