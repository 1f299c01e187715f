import Glibc

/// The listening sockets in the socket tables under `<procRoot>/net`: tcp, tcp6, udp and udp6.
/// Table lines it cannot read are left out and reported beside the sockets.
package struct ProcNetTables: Sendable {
    /// The tables, and what each holds.
    static let tables: [(file: String, transport: Listener.Transport)] = [
        ("tcp", .tcp), ("tcp6", .tcp), ("udp", .udp), ("udp6", .udp),
    ]

    let procRoot: String

    package init(procRoot: String) {
        self.procRoot = procRoot
    }

    /// The sockets, table by table in the order above. Throws `.unsupported` where there is no
    /// `<procRoot>/net`, `.unreadable` for a table there that cannot be read.
    package func listeningSockets() throws(HostStateError) -> (sockets: [ListeningSocket], malformed: MalformedLines) {
        guard isDirectory("\(procRoot)/net") else { throw .unsupported(procRoot: procRoot) }
        var sockets: [ListeningSocket] = []
        var malformed = MalformedLines()
        for table in Self.tables {
            sockets += try listeningSockets(inTable: table.file, transport: table.transport, malformed: &malformed)
        }
        return (sockets, malformed)
    }

    private func listeningSockets(
        inTable file: String, transport: Listener.Transport, malformed: inout MalformedLines
    ) throws(HostStateError) -> [ListeningSocket] {
        let path = "\(procRoot)/net/\(file)"
        let table: [UInt8]
        do {
            table = try ProcFile.contents(of: path)
        } catch where error.code == ENOENT {
            return [] // A kernel without IPv6 has no tcp6 and udp6.
        } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
        switch transport {
        case .tcp: return ProcNetTCPParser.listeningSockets(in: table, path: path, malformed: &malformed)
        case .udp: return ProcNetUDPParser.unconnectedSockets(in: table, path: path, malformed: &malformed)
        }
    }

    private func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }
}
