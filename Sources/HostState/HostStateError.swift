/// Why the host's listening sockets could not be read; each says what was tried.
public enum HostStateError: Error, CustomStringConvertible, Equatable {
    /// The system has no `/proc/net` (not Linux, or a sandbox without procfs).
    case unsupported(procRoot: String)
    /// A socket table that is there but cannot be read. (A line in it that cannot be read is no
    /// error: it is left out, and counted in MalformedLines.)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unsupported(procRoot):
            "listening sockets are unsupported here: \(procRoot)/net does not exist "
                + "(portinfo reads them from Linux's /proc/net)"
        case let .unreadable(path, reason):
            "cannot read \(path): \(reason)"
        }
    }
}
