/// Why a sock_diag dump gave no answer. A scan then reads the /proc/net tables instead: a
/// sandbox may refuse netlink (gVisor has no NETLINK_SOCK_DIAG; seccomp or an LSM may say EPERM
/// or EACCES), and a kernel may lack inet_diag.
package enum SockDiagError: Error, Equatable, CustomStringConvertible {
    /// socket(AF_NETLINK, …, NETLINK_SOCK_DIAG) failed.
    case socketRefused(SystemCallError)
    case sendFailed(SystemCallError)
    /// recv failed, or gave nothing for longer than SockDiagReader.receiveTimeout.
    case receiveFailed(SystemCallError)
    /// The kernel answered the request with an error: NLMSG_ERROR, or NLMSG_DONE carrying one.
    case dumpRefused(SystemCallError)
    /// An answer that does not read as netlink messages of sock_diag.
    case malformed(String)

    package var description: String {
        switch self {
        case let .socketRefused(error): "cannot open a NETLINK_SOCK_DIAG socket: \(error.reason)"
        case let .sendFailed(error): "cannot send a sock_diag request: \(error.reason)"
        case let .receiveFailed(error): "cannot receive a sock_diag answer: \(error.reason)"
        case let .dumpRefused(error): "the kernel refused a sock_diag dump: \(error.reason)"
        case let .malformed(reason): "malformed sock_diag answer: \(reason)"
        }
    }
}
