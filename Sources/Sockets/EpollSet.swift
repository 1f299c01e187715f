import Basics
import CLinux
import Glibc

/// A Linux epoll set, edge-triggered: the sockets one I/O worker watches, each with a token
/// that names its connection. A socket is reported when it becomes ready (new input, room to
/// write, a changed interest), so whoever stops short of `wouldBlock` must come back to it
/// unprompted. (Level-triggered, the kernel re-queued every socket it reported behind the
/// others in the same order each time: the connections reported last missed a round again and
/// again, and served 0.94 of the requests the first ones did.) Linux only: this is where the
/// server stops being portable. Whoever made it closes it, once nothing watches its descriptor.
public struct EpollSet: Sendable {
    public let descriptor: Int32

    /// What a ready socket is ready for.
    public struct Readiness: Sendable {
        public let token: UInt64
        public let readable: Bool
        public let writable: Bool
        /// An error, or both directions shut: the peer is gone.
        public let hungUp: Bool
        /// The peer shut its side (its FIN): once what it sent is read, a read finds the end.
        /// Reported with the input it follows when both came before the socket was looked at:
        /// then no later edge tells of the end.
        public var peerFinished = false

        public init(token: UInt64, readable: Bool, writable: Bool, hungUp: Bool, peerFinished: Bool = false) {
            self.token = token
            self.readable = readable
            self.writable = writable
            self.hungUp = hungUp
            self.peerFinished = peerFinished
        }
    }

    public init() throws(SocketError) {
        descriptor = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard descriptor >= 0 else { throw SocketError("epoll_create1") }
    }

    public func close() {
        _ = Glibc.close(descriptor)
    }

    public func add(_ socket: Int32, token: UInt64, read: Bool, write: Bool) {
        control(EPOLL_CTL_ADD, socket, token: token, read: read, write: write)
    }

    public func modify(_ socket: Int32, token: UInt64, read: Bool, write: Bool) {
        control(EPOLL_CTL_MOD, socket, token: token, read: read, write: write)
    }

    public func remove(_ socket: Int32) {
        var unused = epoll_event()
        epoll_ctl(descriptor, EPOLL_CTL_DEL, socket, &unused)
    }

    private func control(_ operation: Int32, _ socket: Int32, token: UInt64, read: Bool, write: Bool) {
        var event = epoll_event()
        event.events = EPOLLET.rawValue | (read ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0) | (write ? EPOLLOUT.rawValue : 0)
        event.data.u64 = token
        epoll_ctl(descriptor, operation, socket, &event)
    }

    /// The sockets ready within `timeout` (at once when they are), into `events`: how many there are.
    public func wait(into events: UnsafeMutableBufferPointer<epoll_event>, upTo timeout: Duration) -> Int {
        let count = epoll_wait(descriptor, events.baseAddress, Int32(events.count), Int32(clamping: timeout.millisecondsRoundedUp))
        return max(0, Int(count)) // EINTR: none ready yet
    }

    public static func readiness(of event: epoll_event) -> Readiness {
        let flags = event.events
        return Readiness(token: event.data.u64, readable: flags & EPOLLIN.rawValue != 0,
                         writable: flags & EPOLLOUT.rawValue != 0,
                         hungUp: flags & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0,
                         peerFinished: flags & EPOLLRDHUP.rawValue != 0)
    }
}
