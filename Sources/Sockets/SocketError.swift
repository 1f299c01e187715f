import Glibc

/// A failed socket call: which call, on what, and the system's reason.
public struct SocketError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let code: Int32

    public init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    public var description: String { "\(operation): \(String(cString: strerror(code)))" }

    /// Out of file descriptors or kernel memory: the call may succeed once some are freed.
    public var isOutOfResources: Bool {
        [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(code)
    }
}
