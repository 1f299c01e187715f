import Basics
import CLinux
import Dispatch
import Glibc
import Sockets
import Synchronization

/// One of the server's I/O threads: a thread of its own that owns a set of connections, waits
/// for their sockets in one epoll set, and looks for connections past their deadlines. The
/// kernel wakes it straight from epoll_wait, with every ready connection at once; it serves them
/// as one batch, each at most one read, so none waits behind another's burst (one whose read
/// filled the buffer is read again in the next batch, unprompted). Other threads hand
/// it work (a connection to adopt, an application's answer, stopping) through `execute`, which
/// wakes it with an eventfd in the same set. (Dispatch's read sources cost a hand-off from its
/// manager thread and a re-arm on every wake-up: a third of the time a cached answer took.)
/// (Unchecked Sendable: what other threads use is a Mutex, an Atomic or immutable; the rest
/// belongs to the worker's thread, which `start` starts, and which alone turns the loop.)
final class IOWorker: @unchecked Sendable {
    /// How often the worker looks for connections past their deadlines: timeouts take effect
    /// this much late at most.
    static let deadlineCheckInterval: Duration = .milliseconds(100)
    /// Ready sockets learnt of per epoll_wait.
    static let eventsPerBatch = 256
    /// Bytes read from a socket at a time.
    static let readSize = 64 * 1024
    /// The epoll token of the wake-up signal; connections' tokens count up from 1.
    private static let wakeUpToken = UInt64.max

    private let name: String
    private let epoll: EpollSet
    private let wakeUp: WakeUpSignal
    private let services: HTTPServices
    /// The time, for deadlines and how long answers took: ContinuousClock's, but for tests.
    let now: @Sendable () -> ContinuousClock.Instant
    /// Work handed over by other threads, run by the worker's thread after each batch.
    private let handedOver = Mutex<[@Sendable () -> Void]>([])
    private let finished = DispatchSemaphore(value: 0)
    /// Connections handed to this worker and not yet closed, for the server to balance them.
    let connectionCount = Atomic(0)
    /// The worker's thread is running: started, and not yet told to stop.
    private let running = Atomic(false)

    // The rest belongs to the worker's thread.
    /// Hears of each connection once it is closed; set by `start`, before any connection.
    private var onClose: @Sendable (HTTPConnection) -> Void = { _ in }
    private var connections: [UInt64: HTTPConnection] = [:]
    /// Connections whose last read filled the buffer: read again in the next batch.
    private var unreadInput: Set<UInt64> = []
    private var lastConnectionID: UInt64 = 0
    private var stopping = false
    private var nextDeadlineCheck: Moment
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
    private let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: eventsPerBatch)
    private var dateField = HTTPDateField()

    /// `name` names its thread (at most 15 bytes); `now` tells the time.
    init(name: String, services: HTTPServices,
         now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) throws(SocketError) {
        self.name = name
        self.now = now
        nextDeadlineCheck = Moment(now()) + Self.deadlineCheckInterval
        epoll = try EpollSet()
        do {
            wakeUp = try WakeUpSignal()
        } catch {
            epoll.close()
            throw error
        }
        self.services = services
        epoll.add(wakeUp.descriptor, token: Self.wakeUpToken, read: true, write: false)
    }

    deinit {
        epoll.close()
        wakeUp.close()
        readBuffer.deallocate()
        events.deallocate()
    }

    /// Starts the worker's thread; `onClose` hears of each connection once it is closed, on it.
    func start(onClose: @escaping @Sendable (HTTPConnection) -> Void) throws(SocketError) {
        self.onClose = onClose
        let result = NamedThread.start(named: name) { [self] in run() }
        guard result == 0 else { throw SocketError("cannot start I/O thread \(name)", code: result) }
        running.store(true, ordering: .releasing)
    }

    /// Stops the worker's thread, and returns once it has; call once every connection is closed.
    /// A worker stopped already, or never started, has nothing to stop.
    func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        execute { [self] in stopping = true }
        finished.wait()
    }

    /// From any thread: runs `work` on the worker's thread, after the batch it is serving.
    func execute(_ work: @escaping @Sendable () -> Void) {
        let wasIdle = handedOver.withLock { waiting in
            waiting.append(work)
            return waiting.count == 1
        }
        // Work already waiting has signalled; the worker takes all of it when it wakes.
        if wasIdle { wakeUp.signal() }
    }

    /// The moment, for the events being handled now.
    func eventTime() -> EventTime {
        EventTime(moment: Moment(now()), dateField: dateField.field(at: time(nil)))
    }

    /// From any thread: serves `socket` from now on, or (with a refusal) only writes that and closes.
    func adopt(_ socket: Socket, remoteAddress: String, limits: HTTPLimits, refusal: HTTPResponse?) {
        connectionCount.add(1, ordering: .relaxed)
        execute { [self] in serve(socket, remoteAddress: remoteAddress, limits: limits, refusal: refusal) }
    }

    // MARK: Connections, on the worker's thread

    private func serve(_ socket: Socket, remoteAddress: String, limits: HTTPLimits, refusal: HTTPResponse?) {
        let time = eventTime()
        lastConnectionID += 1
        let lifecycle = refusal.map { ConnectionLifecycle(refusing: $0, limits: limits, at: time) }
            ?? ConnectionLifecycle(limits: limits, remoteAddress: remoteAddress, refusal: { [services] in services.refusal($0) }, at: time)
        let connection = HTTPConnection(id: lastConnectionID, socket: socket, remoteAddress: remoteAddress,
                                        lifecycle: lifecycle, isServed: refusal == nil, worker: self, services: services)
        connections[connection.id] = connection
        let interest = connection.initialInterest
        epoll.add(socket.descriptor, token: connection.id, read: interest.read, write: interest.write)
        // A refusal is written at once; a new connection's request may already be waiting.
        serveReady(EpollSet.Readiness(token: connection.id, readable: refusal == nil, writable: true, hungUp: false), at: time)
    }

    private func serveReady(_ readiness: EpollSet.Readiness, at time: EventTime) {
        if connections[readiness.token]?.socketReady(readiness, at: time, readBuffer: readBuffer) == true {
            unreadInput.insert(readiness.token)
        }
    }

    func watch(_ connection: HTTPConnection, interest: ConnectionLifecycle.Interest) {
        epoll.modify(connection.socket.descriptor, token: connection.id, read: interest.read, write: interest.write)
    }

    func closed(_ connection: HTTPConnection) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        epoll.remove(connection.socket.descriptor)
        connection.socket.close()
        connectionCount.subtract(1, ordering: .relaxed)
        onClose(connection)
    }

    /// From any thread: the server is stopping; each connection finishes what has arrived, then closes.
    func shutDownConnections() {
        execute { [self] in
            let time = eventTime()
            for connection in Array(connections.values) { connection.shutDown(at: time) }
        }
    }

    /// From any thread: closes every connection now.
    func forceCloseConnections() {
        execute { [self] in
            let time = eventTime()
            for connection in Array(connections.values) { connection.forceClose(at: time) }
        }
    }

    // MARK: The worker's thread

    private func run() {
        while !stopping { serveBatch(waitingAtMost: Self.deadlineCheckInterval) }
        finished.signal()
    }

    /// One turn of the loop: waits for ready sockets (at most `longest`, not past the next
    /// deadline check, and not at all while input is left unread), serves them as one batch,
    /// runs the work handed over, and checks deadlines when that is due. Only the worker's
    /// thread calls it; a test may turn the loop of a worker it never started.
    func serveBatch(waitingAtMost longest: Duration) {
        let timeout = unreadInput.isEmpty ? min(longest, nextDeadlineCheck - Moment(now())) : .zero
        let count = epoll.wait(into: events, upTo: timeout)
        let time = eventTime()
        var leftOver = unreadInput
        unreadInput.removeAll(keepingCapacity: true)
        for event in events[..<count] {
            let readiness = EpollSet.readiness(of: event)
            if readiness.token == Self.wakeUpToken {
                wakeUp.clear()
            } else if !leftOver.isEmpty, leftOver.remove(readiness.token) != nil {
                serveReady(EpollSet.Readiness(token: readiness.token, readable: true, writable: readiness.writable,
                                              hungUp: readiness.hungUp), at: time)
            } else {
                serveReady(readiness, at: time)
            }
        }
        for token in leftOver { serveReady(EpollSet.Readiness(token: token, readable: true, writable: false, hungUp: false), at: time) }
        // Always, not only on a wake-up: work handed over while the batch ran is taken now.
        for work in handedOver.withLock({ waiting in defer { waiting = [] }; return waiting }) { work() }
        if time.moment >= nextDeadlineCheck {
            checkDeadlines(at: time)
            nextDeadlineCheck = time.moment + Self.deadlineCheckInterval
        }
    }

    private func checkDeadlines(at time: EventTime) {
        let due = connections.values.filter { connection in connection.deadline.map { $0 <= time.moment } ?? false }
        for connection in due { connection.deadlinePassed(at: time) }
    }
}
