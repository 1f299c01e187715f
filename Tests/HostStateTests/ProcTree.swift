import Foundation

/// A /proc tree of a test's own in a temporary folder, made of real files and real symlinks:
/// `net/tcp`…, `<pid>/comm`, `<pid>/fd/N -> socket:[inode]`, and a passwd file beside it.
final class ProcTree {
    let root: URL
    var path: String { root.path }
    var passwdPath: String { root.appendingPathComponent("passwd").path }

    init(tables: [String: String] = [:], passwd: String = "root:x:0:0:root:/root:/bin/bash\n") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("net"), withIntermediateDirectories: true)
        for (name, contents) in tables { try write(contents, to: "net/\(name)") }
        try write(passwd, to: "passwd")
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// A process with `comm` (nil: none, as for a process gone mid-scan) and fds linking to `fds`' targets.
    func addProcess(pid: Int, comm: String?, fds: [Int: String]) throws {
        let fdFolder = root.appendingPathComponent("\(pid)/fd")
        try FileManager.default.createDirectory(at: fdFolder, withIntermediateDirectories: true)
        if let comm { try write(comm + "\n", to: "\(pid)/comm") }
        for (fd, target) in fds {
            try FileManager.default.createSymbolicLink(atPath: fdFolder.appendingPathComponent(String(fd)).path,
                                                       withDestinationPath: target)
        }
    }

    func write(_ contents: String, to relativePath: String) throws {
        try write(Data(contents.utf8), to: relativePath)
    }

    func write(_ contents: Data, to relativePath: String) throws {
        try contents.write(to: root.appendingPathComponent(relativePath))
    }

    func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(relativePath))
    }

    func makeFolder(_ relativePath: String) throws {
        try FileManager.default.createDirectory(at: root.appendingPathComponent(relativePath), withIntermediateDirectories: true)
    }
}
