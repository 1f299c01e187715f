import Glibc

/// The names in a folder given by descriptor, listed with readdir(3) without making Strings:
/// /proc has a folder per process, and a process's fd folder an entry per descriptor.
enum DirectoryEntries {
    /// Calls `body` with each name but `.` and `..` while it returns true. The name's bytes are
    /// followed by a NUL, so that its base address can be handed to a system call; valid only
    /// inside the call. `folder` stays open and unmoved (the listing reads a descriptor of its own).
    static func forEach(in folder: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) {
        let own = openat(folder, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard own >= 0 else { return }
        guard let directory = fdopendir(own) else {
            close(own)
            return
        }
        defer { closedir(directory) }
        let nameOffset = MemoryLayout<dirent>.offset(of: \.d_name)!
        while let entry = readdir(directory) {
            let name = UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: UInt8.self)
            let bytes = UnsafeBufferPointer(start: name, count: strlen(name))
            if bytes.elementsEqual(currentFolder) || bytes.elementsEqual(parentFolder) { continue }
            if !body(bytes) { return }
        }
    }

    private static let currentFolder = Array(".".utf8)
    private static let parentFolder = Array("..".utf8)
}
