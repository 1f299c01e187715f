import CLinux
import Dispatch
import Glibc

/// One of the server's I/O threads: a serial queue that owns a set of connections, an epoll set
/// of their sockets watched by one dispatch read source, and a timer that looks for connections
/// past their deadlines. Each wake-up serves every ready connection in one batch, learnt in one
/// system call, rather than taking one dispatch event per connection; a connection gets at most
/// one read per batch, so none waits behind another's burst.
final class IOWorker: @unchecked Sendable {
    /// How often the worker looks for connections past their deadlines: timeouts take effect
    /// this much late at most.
    static let deadlineCheckInterval: Duration = .milliseconds(100)
    /// Ready sockets learnt of per epoll_wait.
    static let eventsPerBatch = 256
    /// Batches taken before the worker lets other work on its queue run.
    static let batchesPerWakeUp = 4
    /// Bytes read from a socket at a time.
    static let readSize = 64 * 1024

    let queue: DispatchQueue
    private let epoll: EpollSet
    private let readySource: any DispatchSourceRead
    private let deadlineTimer: any DispatchSourceTimer
    private let services: HTTPServices
    /// Hears of each connection once it is closed; set by `start`, before any connection.
    private var onClose: @Sendable (HTTPConnection) -> Void = { _ in }
    private var connections: [UInt64: HTTPConnection] = [:]
    private var lastConnectionID: UInt64 = 0
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
    private let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: eventsPerBatch)
    private var dateField = HTTPDateField()

    init(name: String, services: HTTPServices) throws(SocketError) {
        queue = DispatchQueue(label: name)
        epoll = try EpollSet()
        readySource = DispatchSource.makeReadSource(fileDescriptor: epoll.descriptor, queue: queue)
        deadlineTimer = DispatchSource.makeTimerSource(queue: queue)
        self.services = services
    }

    deinit {
        readBuffer.deallocate()
        events.deallocate()
    }

    /// `onClose` hears of each connection once it is closed, on the worker's queue.
    func start(onClose: @escaping @Sendable (HTTPConnection) -> Void) {
        self.onClose = onClose
        readySource.setEventHandler { [unowned self] in serveReadyConnections() }
        readySource.setCancelHandler { [epoll] in epoll.close() }
        deadlineTimer.setEventHandler { [unowned self] in checkDeadlines() }
        let interval = Self.deadlineCheckInterval.dispatchInterval
        deadlineTimer.schedule(deadline: .now() + interval, repeating: interval, leeway: (Self.deadlineCheckInterval / 4).dispatchInterval)
        readySource.resume()
        deadlineTimer.resume()
    }

    /// Stops watching; call once every connection is closed.
    func stop() {
        queue.sync {
            readySource.cancel()
            deadlineTimer.cancel()
        }
    }

    /// The moment, for the events being handled now.
    func eventTime() -> EventTime {
        EventTime(instant: .now, dateField: dateField.field(at: time(nil)))
    }

    // MARK: Connections, on the worker's queue

    /// Serves `socket` from now on, or (with a refusal) only writes that and closes.
    func adopt(_ socket: Socket, remoteAddress: String, limits: HTTPLimits, refusal: HTTPResponse?) {
        let time = eventTime()
        lastConnectionID += 1
        let lifecycle = refusal.map { ConnectionLifecycle(refusing: $0, limits: limits, at: time) }
            ?? ConnectionLifecycle(limits: limits, remoteAddress: remoteAddress, at: time)
        let connection = HTTPConnection(id: lastConnectionID, socket: socket, remoteAddress: remoteAddress,
                                        lifecycle: lifecycle, isServed: refusal == nil, worker: self, services: services)
        connections[connection.id] = connection
        let interest = connection.initialInterest
        epoll.add(socket.descriptor, token: connection.id, read: interest.read, write: interest.write)
        // A refusal is written at once; a new connection's request may already be waiting.
        connection.socketReady(EpollSet.Readiness(token: connection.id, readable: refusal == nil, writable: true, hungUp: false),
                               at: time, readBuffer: readBuffer)
    }

    func watch(_ connection: HTTPConnection, interest: ConnectionLifecycle.Interest) {
        epoll.modify(connection.socket.descriptor, token: connection.id, read: interest.read, write: interest.write)
    }

    func closed(_ connection: HTTPConnection) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        epoll.remove(connection.socket.descriptor)
        connection.socket.close()
        onClose(connection)
    }

    /// The server is stopping: each connection finishes what has arrived, then closes.
    func shutDownConnections() {
        queue.async { [self] in
            let time = eventTime()
            for connection in Array(connections.values) { connection.shutDown(at: time) }
        }
    }

    /// Closes every connection now.
    func forceCloseConnections() {
        queue.async { [self] in
            let time = eventTime()
            for connection in Array(connections.values) { connection.forceClose(at: time) }
        }
    }

    // MARK: Wake-ups

    private func serveReadyConnections() {
        let time = eventTime()
        // More than a batch may be ready: take a few batches, until one comes back short. Whatever
        // is still ready after that wakes the read source again (the epoll set is level-triggered),
        // after answers and timers waiting on the queue have had their turn.
        var count = Self.eventsPerBatch, batches = 0
        while count == Self.eventsPerBatch && batches < Self.batchesPerWakeUp {
            batches += 1
            count = epoll.ready(into: events)
            for event in events[..<count] {
                let readiness = EpollSet.readiness(of: event)
                connections[readiness.token]?.socketReady(readiness, at: time, readBuffer: readBuffer)
            }
        }
    }

    private func checkDeadlines() {
        let time = eventTime()
        let due = connections.values.filter { connection in connection.deadline.map { $0 <= time.instant } ?? false }
        for connection in due { connection.deadlinePassed(at: time) }
    }
}
