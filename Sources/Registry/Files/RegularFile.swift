import Glibc

/// A file the server reads because an operator named it (the registry database, the site file):
/// a regular file, or a symlink to one (Kubernetes mounts ConfigMaps through them). It is opened
/// without blocking and its type checked on the descriptor opened, so a FIFO renamed over the path
/// cannot hold up the thread that opens it, and no device, socket or directory is ever read.
public final class RegularFile {
    public let path: String
    let descriptor: Int32
    /// Its size when opened (0 for the files of /proc, which are read to their end).
    public let size: Int
    /// The inode, modification time and size as fstat gave them when opened.
    let status: stat

    public init(opening path: String) throws(FileAccessError) {
        self.path = path
        // stat first, so that a device is refused without being opened (opening some has effects).
        var named = stat()
        guard stat(path, &named) == 0 else { throw FileAccessError(path: path, errno: errno) }
        if let kind = FileAccessError.Kind(mode: named.st_mode) { throw FileAccessError(path: path, problem: .notARegularFile(kind)) }
        // O_NONBLOCK: should a FIFO have taken the path's place since, open returns at once.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileAccessError(path: path, errno: errno) }
        var opened = stat()
        guard fstat(descriptor, &opened) == 0 else {
            let error = FileAccessError(path: path, errno: errno)
            close(descriptor)
            throw error
        }
        if let kind = FileAccessError.Kind(mode: opened.st_mode) {
            close(descriptor)
            throw FileAccessError(path: path, problem: .notARegularFile(kind))
        }
        self.descriptor = descriptor
        size = Int(opened.st_size)
        status = opened
    }

    deinit {
        close(descriptor)
    }

    /// Reads into `buffer` from `offset` until it is full or the file ends: the bytes read.
    func read(into buffer: UnsafeMutableRawBufferPointer, from offset: Int = 0) throws(FileAccessError) -> Int {
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileAccessError(path: path, errno: errno)
            }
            done += count
        }
        return done
    }

    /// The whole file; more than `limit` bytes is refused, unread beyond the limit.
    public func readAll(limit: Int) throws(FileAccessError) -> [UInt8] {
        guard size <= limit else { throw FileAccessError(path: path, problem: .tooLarge(limit: limit)) }
        // One byte more than the limit tells a file that grew (or a /proc file) past it.
        var bytes = [UInt8](repeating: 0, count: min(limit, max(size, 64 * 1024)) + 1)
        var count = 0
        while true {
            var failure: FileAccessError?
            count += bytes.withUnsafeMutableBytes { buffer in
                do throws(FileAccessError) {
                    return try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]), from: count)
                } catch {
                    failure = error
                    return 0
                }
            }
            if let failure { throw failure }
            guard count == bytes.count else { break }
            guard count <= limit else { throw FileAccessError(path: path, problem: .tooLarge(limit: limit)) }
            bytes += repeatElement(0, count: min(limit + 1, bytes.count * 2) - bytes.count)
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}

/// Why a file an operator named cannot be read: said without its contents, naming the path given.
public struct FileAccessError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        case missing
        case permissionDenied
        case notARegularFile(Kind)
        case tooLarge(limit: Int)
        case failed(errno: Int32)
    }

    /// What a path names when it is not a regular file.
    public enum Kind: String, Equatable, Sendable {
        case directory = "a directory"
        case fifo = "a named pipe (FIFO)"
        case characterDevice = "a character device"
        case blockDevice = "a block device"
        case socket = "a socket"
        case unknown = "not a regular file"

        /// nil for a regular file.
        init?(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: return nil
            case S_IFDIR: self = .directory
            case S_IFIFO: self = .fifo
            case S_IFCHR: self = .characterDevice
            case S_IFBLK: self = .blockDevice
            case S_IFSOCK: self = .socket
            default: self = .unknown
            }
        }
    }

    public let path: String
    public let problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    init(path: String, errno code: Int32) {
        self.path = path
        problem = switch code {
        case ENOENT, ENOTDIR: .missing
        case EACCES, EPERM: .permissionDenied
        default: .failed(errno: code)
        }
    }

    /// What is wrong, without the path: "is a named pipe (FIFO), not a regular file".
    public var reason: String {
        switch problem {
        case .missing: "does not exist"
        case .permissionDenied: "cannot be read: permission denied"
        case let .notARegularFile(kind): kind == .unknown ? "is not a regular file" : "is \(kind.rawValue), not a regular file"
        case let .tooLarge(limit): "is larger than \(ByteCount(limit)): refused unread"
        case let .failed(code): "cannot be read: \(String(cString: strerror(code)))"
        }
    }

    public var description: String { "\(path) \(reason)" }
}

/// A size as people read it: `64 MiB`, `16 KiB`, `100 bytes`.
struct ByteCount: CustomStringConvertible {
    let bytes: Int
    init(_ bytes: Int) { self.bytes = bytes }

    var description: String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
