import Glibc

/// Whole files read with read(2) until end of file: /proc files report a size of 0, and a socket
/// table with many sockets runs to megabytes, handed out by the kernel a page or so per read.
enum ProcFile {
    static let readChunkSize = 64 * 1024

    /// A relative `path` is taken from the folder `folder` (a descriptor), by default the working one.
    static func contents(of path: String, relativeTo folder: Int32 = AT_FDCWD) throws(SystemCallError) -> [UInt8] {
        let descriptor = openat(folder, path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .last }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: readChunkSize, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let count = read(descriptor, chunk.baseAddress, chunk.count)
            if count > 0 {
                contents.append(contentsOf: chunk[..<count])
            } else if count == 0 {
                return contents
            } else if errno != EINTR {
                throw .last
            }
        }
    }
}
