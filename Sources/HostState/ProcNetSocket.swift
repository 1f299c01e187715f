/// A listening socket as a /proc/net table lists it, before its owner is looked up.
struct ProcNetSocket: Equatable {
    let local: ProcNetEndpoint
    let uid: UInt32
    let inode: UInt64
}
