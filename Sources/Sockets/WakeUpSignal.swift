import CLinux
import Glibc

/// An eventfd in an I/O worker's epoll set: other threads signal it to wake the worker for work
/// they hand it; the worker clears it when it wakes.
public struct WakeUpSignal: Sendable {
    public let descriptor: Int32

    public init() throws(SocketError) {
        descriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard descriptor >= 0 else { throw SocketError("eventfd") }
    }

    public func signal() {
        var one: UInt64 = 1
        _ = write(descriptor, &one, 8)
    }

    public func clear() {
        var count: UInt64 = 0
        _ = read(descriptor, &count, 8)
    }

    public func close() {
        _ = Glibc.close(descriptor)
    }
}
