import Glibc

/// A failed system call's errno, kept so that callers can tell ENOENT from the rest.
package struct SystemCallError: Error, Equatable {
    package let code: Int32

    /// The errno of the call that just failed.
    static var last: SystemCallError { SystemCallError(code: errno) }

    package var reason: String { String(cString: strerror(code)) }
}
