/// One reading of the host's listening sockets: the sockets from sock_diag (SockDiagReader), or
/// from the /proc/net tables where netlink is refused; the owners of those sockets from
/// /proc/<pid>/fd; their users' names from the passwd file. Command lines and environments are
/// never read. Table lines it cannot read are left out and reported beside the listeners.
package struct ListenerReader: Sendable {
    /// Where a reading's sockets came from.
    package enum Source: Equatable, Sendable {
        case sockDiag
        /// The /proc/net tables; and why sock_diag gave no answer, or nil when it was not asked.
        case procNet(sockDiagFailure: SockDiagError?)
    }

    package struct Reading {
        /// Sorted by transport (tcp first), port, family (ipv4 first), address (numerically), then pid.
        package let listeners: [Listener]
        package let malformed: MalformedLines
        package let source: Source
    }

    /// Asked first when given; nil reads the tables alone, as for a /proc tree of a test's own,
    /// whose sockets the kernel's netlink knows nothing of.
    let sockDiag: SockDiagReader?
    let procRoot: String
    let passwdPath: String
    /// Remembers what it read of each process from one reading to the next.
    let socketOwners: SocketOwners

    package init(sockDiag: SockDiagReader?, procRoot: String, passwdPath: String) {
        self.sockDiag = sockDiag
        self.procRoot = procRoot
        self.passwdPath = passwdPath
        socketOwners = SocketOwners(procRoot: procRoot)
    }

    package func read() throws(HostStateError) -> Reading {
        let (sockets, malformed, source) = try listeningSockets()
        // Inode 0 is a socket no file refers to any more: no process can be found holding it.
        let owners = socketOwners.find(Set(sockets.lazy.map(\.inode).filter { $0 != 0 }))
        let users = PasswdUsers(path: passwdPath)
        // Sorted on numbers before any text is made: comparing Listeners' strings would cost
        // more than reading a 10,000-socket table.
        let sorted = sockets.sorted { a, b in
            let (aRank, bRank) = (Self.rank(a), Self.rank(b))
            if aRank != bRank { return aRank < bRank }
            if a.local.address != b.local.address { return a.local.address < b.local.address }
            return owners[a.inode]?.pid ?? Int.max < owners[b.inode]?.pid ?? Int.max
        }
        // A host has few addresses and many sockets on each: each address's text is made once.
        var addressTexts: [AddressKey: String] = [:]
        let listeners = sorted.map { socket in
            let owner = owners[socket.inode]
            let key = AddressKey(family: socket.local.family, address: socket.local.address)
            let address: String
            if let known = addressTexts[key] {
                address = known
            } else {
                address = socket.local.addressText
                addressTexts[key] = address
            }
            return Listener(transport: socket.transport, family: socket.local.family, address: address,
                            port: socket.local.port, pid: owner?.pid, process: owner?.process,
                            user: users.user(uid: socket.uid))
        }
        return Reading(listeners: listeners, malformed: malformed, source: source)
    }

    /// sock_diag's sockets when it answers, else the tables'.
    private func listeningSockets() throws(HostStateError) -> (sockets: [ListeningSocket], malformed: MalformedLines, source: Source) {
        var failure: SockDiagError?
        if let sockDiag {
            do throws(SockDiagError) {
                return (try sockDiag.listeningSockets(), MalformedLines(), .sockDiag)
            } catch {
                failure = error
            }
        }
        let (sockets, malformed) = try ProcNetTables(procRoot: procRoot).listeningSockets()
        return (sockets, malformed, .procNet(sockDiagFailure: failure))
    }

    private struct AddressKey: Hashable {
        let family: Listener.Family
        let address: UInt128
    }

    /// Transport (tcp first), then port, then family (ipv4 first), in one number.
    private static func rank(_ socket: ListeningSocket) -> Int {
        (socket.transport == .tcp ? 0 : 1) << 17 | socket.local.port << 1 | (socket.local.family == .ipv4 ? 0 : 1)
    }
}
