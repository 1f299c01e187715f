import Glibc

/// One reading of the host's listening sockets from a /proc tree: the four socket tables, the
/// owners of the sockets found there, and their users' names. Command lines and environments
/// are never read. Table lines it cannot read are left out and reported beside the listeners.
struct ProcListenerReader: Sendable {
    /// The socket tables under `<procRoot>/net`, and what each holds.
    static let socketTables: [(file: String, transport: Listener.Transport)] = [
        ("tcp", .tcp), ("tcp6", .tcp), ("udp", .udp), ("udp6", .udp),
    ]

    let procRoot: String
    let passwdPath: String

    /// Listeners sorted by transport (tcp first), port, family (ipv4 first), address
    /// (numerically), then pid; and the table lines left out.
    func listeners() throws(HostStateError) -> (listeners: [Listener], malformed: MalformedLines) {
        guard isDirectory("\(procRoot)/net") else { throw .unsupported(procRoot: procRoot) }
        var sockets: [(transport: Listener.Transport, socket: ProcNetSocket)] = []
        var malformed = MalformedLines()
        for table in Self.socketTables {
            for socket in try listeningSockets(inTable: table.file, transport: table.transport, malformed: &malformed) {
                sockets.append((table.transport, socket))
            }
        }
        // Inode 0 is a socket no file refers to any more: no process can be found holding it.
        let owners = SocketOwners.find(Set(sockets.lazy.map(\.socket.inode).filter { $0 != 0 }), procRoot: procRoot)
        let users = PasswdUsers(path: passwdPath)
        // Sorted on numbers before any text is made: comparing Listeners' strings would cost
        // more than parsing a 10,000-socket table.
        sockets.sort { a, b in
            let (aRank, bRank) = (Self.rank(a.transport, a.socket.local), Self.rank(b.transport, b.socket.local))
            if aRank != bRank { return aRank < bRank }
            if a.socket.local.address != b.socket.local.address { return a.socket.local.address < b.socket.local.address }
            return owners[a.socket.inode]?.pid ?? Int.max < owners[b.socket.inode]?.pid ?? Int.max
        }
        let listeners = sockets.map { transport, socket in
            let owner = owners[socket.inode]
            return Listener(transport: transport, family: socket.local.family, address: socket.local.addressText,
                            port: socket.local.port, pid: owner?.pid, process: owner?.process,
                            user: users.user(uid: socket.uid))
        }
        return (listeners, malformed)
    }

    /// Transport (tcp first), then port, then family (ipv4 first), in one number.
    private static func rank(_ transport: Listener.Transport, _ endpoint: ProcNetEndpoint) -> Int {
        (transport == .tcp ? 0 : 1) << 17 | endpoint.port << 1 | (endpoint.family == .ipv4 ? 0 : 1)
    }

    private func listeningSockets(
        inTable file: String, transport: Listener.Transport, malformed: inout MalformedLines
    ) throws(HostStateError) -> [ProcNetSocket] {
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
