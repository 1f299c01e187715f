/// Reads /proc/net/tcp and /proc/net/tcp6 (one format, the address width telling the family):
/// the sockets in state 0A, TCP_LISTEN, which `ss -tln` shows.
enum ProcNetTCPParser {
    static let listenState: UInt8 = 0x0A

    static func listeningSockets(in table: [UInt8]) throws(ProcNetFormatError) -> [ProcNetSocket] {
        var sockets: [ProcNetSocket] = []
        try ProcNetSocketTable.forEachRow(in: table) { row throws(ProcNetFormatError) in
            // Most rows of a busy host are connections: decide on the state before anything else.
            guard try row.state() == listenState else { return }
            sockets.append(ProcNetSocket(local: try row.localEndpoint(), uid: try row.uid(), inode: try row.inode()))
        }
        return sockets
    }
}
