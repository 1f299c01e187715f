import Glibc

/// A failed system call's errno, kept so that callers can tell ENOENT from the rest.
struct SystemCallError: Error, Equatable {
    let code: Int32

    /// The errno of the call that just failed.
    static var last: SystemCallError { SystemCallError(code: errno) }

    var reason: String { String(cString: strerror(code)) }
}
