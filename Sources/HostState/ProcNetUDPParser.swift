/// Reads /proc/net/udp and /proc/net/udp6 (one format, the address width telling the family):
/// the bound, unconnected sockets, which `ss -uln` shows as UNCONN: in 07, TCP_CLOSE, with no
/// remote end (connect(2) would make it 01).
enum ProcNetUDPParser {
    /// Rows it cannot read are added to `malformed` as lines of `path`, and left out.
    static func unconnectedSockets(in table: [UInt8], path: String, malformed: inout MalformedLines) -> [ListeningSocket] {
        var sockets: [ListeningSocket] = []
        ProcNetSocketTable.forEachRow(in: table, path: path, malformed: &malformed) { row throws(ProcNetFormatError) in
            guard try row.state() == KernelSocketState.close, try row.remoteEndpoint().isUnset else { return }
            sockets.append(ListeningSocket(transport: .udp, local: try row.localEndpoint(), uid: try row.uid(), inode: try row.inode()))
        }
        return sockets
    }
}
