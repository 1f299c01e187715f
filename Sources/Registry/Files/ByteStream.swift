import Glibc

/// Something bytes are read from, a buffer at a time; `read` returns 0 at the end.
public protocol ByteStream {
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

public struct InputFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// A file, or standard input when the path is `-`, read with read(2).
public final class InputFile: ByteStream {
    public let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    public init(path: String) throws(InputFileError) {
        self.path = path
        if path == "-" {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
            return
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw InputFileError(path: path, reason: String(cString: strerror(errno))) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw InputFileError(path: path, reason: "is a directory")
        }
        self.descriptor = descriptor
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = readDescriptor(descriptor, buffer)
            if count >= 0 { return count }
            if errno != EINTR { throw InputFileError(path: path, reason: String(cString: strerror(errno))) }
        }
    }
}

/// Passes another stream's bytes through, computing their SHA-256 on the way.
public struct DigestingStream<Base: ByteStream>: ByteStream {
    public var base: Base
    public private(set) var digest = SHA256()

    public init(_ base: Base) {
        self.base = base
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try base.read(into: buffer)
        digest.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        return count
    }
}

/// read(2), named apart so that `InputFile.read(into:)` does not shadow it.
private func readDescriptor(_ descriptor: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(descriptor, buffer.baseAddress, buffer.count)
}

/// Bytes already in memory, read as a stream.
public struct MemoryStream: ByteStream {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - position)
        bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[position..<(position + count)])) }
        position += count
        return count
    }
}

extension ByteStream {
    /// Everything left, read into memory; more than `limit` bytes is an error naming `source`.
    public mutating func readAll(limit: Int, source: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try read(into: $0) }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
            guard bytes.count <= limit else {
                throw InputFileError(path: source, reason: "is larger than \(limit >> 20) MiB: not a registry CSV")
            }
        }
    }
}
