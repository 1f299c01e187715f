/// Reads /proc/net/tcp and /proc/net/tcp6 (one format, the address width telling the family):
/// the sockets in state 0A, TCP_LISTEN, which `ss -tln` shows.
enum ProcNetTCPParser {
    /// Rows it cannot read are added to `malformed` as lines of `path`, and left out.
    static func listeningSockets(in table: [UInt8], path: String, malformed: inout MalformedLines) -> [ListeningSocket] {
        var sockets: [ListeningSocket] = []
        ProcNetSocketTable.forEachRow(in: table, path: path, malformed: &malformed) { row throws(ProcNetFormatError) in
            // Most rows of a busy host are connections: decide on the state before anything else.
            guard try row.state() == KernelSocketState.tcpListen else { return }
            sockets.append(ListeningSocket(transport: .tcp, local: try row.localEndpoint(), uid: try row.uid(), inode: try row.inode()))
        }
        return sockets
    }
}
