/// Why the host's listening sockets could not be read; each says what was tried.
public enum HostStateError: Error, CustomStringConvertible, Equatable {
    /// The system has no `/proc/net` (not Linux, or a sandbox without procfs).
    case unsupported(procRoot: String)
    case unreadable(path: String, reason: String)
    /// A socket table the kernel wrote in a shape this parser does not know.
    case malformedSocketTable(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case let .unsupported(procRoot):
            "listening sockets are unsupported here: \(procRoot)/net does not exist "
                + "(portinfo reads them from Linux's /proc/net)"
        case let .unreadable(path, reason):
            "cannot read \(path): \(reason)"
        case let .malformedSocketTable(path, line, reason):
            "\(path) line \(line): \(reason)"
        }
    }
}
