/// A listening socket as the kernel lists it (in a /proc/net table or a sock_diag dump), before
/// its owner is looked up.
package struct ListeningSocket: Equatable {
    let transport: Listener.Transport
    let local: SocketEndpoint
    let uid: UInt32
    /// The socket's inode, which `/proc/<pid>/fd/N` links name as `socket:[inode]`; 0 for a
    /// socket no file refers to any more.
    package let inode: UInt64
}
