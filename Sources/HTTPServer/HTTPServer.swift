import Basics
import Dispatch
import Glibc
import Logging
import Sockets
import Synchronization

/// Where and how the server listens.
public struct HTTPServerConfiguration: Sendable {
    /// A numeric address or host name; `::` listens on every IPv6 and IPv4 address.
    public var host = "::"
    /// 0 asks for any free port (tests); `HTTPServer.port` tells which one.
    public var port = 8080
    /// Connections the kernel may hold waiting for accept.
    public var backlog: Int32 = 511
    /// I/O threads; each connection is served by one of them. Their own threads (not Dispatch's
    /// shared pool) keep the server answering whatever else the process runs. The application
    /// sizes it to the processors it may use (more threads than that only take turns).
    public var workerThreads = 1
    public var limits = HTTPLimits()

    public init() {}
}

/// An HTTP/1.1 server on POSIX sockets and Dispatch. One thread accepts; each connection is
/// handed to one of the I/O workers, which watches its connections' sockets in an epoll set and
/// serves them in batches. It knows nothing of what it serves: each request goes to the handler,
/// which answers at once or later from another thread (see HTTPHandler).
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    /// The port the server listens on.
    public let port: Int
    private let logger: Logger
    private let delegate: any HTTPServerDelegate
    private let acceptor: ConnectionAcceptor
    private let workers: [IOWorker]
    private let services: HTTPServices
    private let state = Mutex(State())
    private let stopped = DispatchSemaphore(value: 0)

    /// What a connection turned away at the limits is told to wait before trying again: a second,
    /// long enough for connections to end, short enough that a client hardly notices.
    static let retryAfterSeconds = 1
    /// How often refused connections and failed accepts may each be logged.
    static let reportInterval: Duration = .seconds(10)
    /// Refused connections kept open at once to write their 503 and linger; past this many a
    /// refusal is written and closed at once, so turning clients away cannot itself exhaust
    /// the server's descriptors.
    static let maxLingeringRefusals = 1024

    private struct State {
        var open = 0
        var openByClient: [String: Int] = [:]
        var lingeringRefusals = 0
        var refusalReport = ThrottledReport(interval: HTTPServer.reportInterval)
        var shuttingDown = false
        var finished = false
    }

    /// Binds and listens; serving starts with `start()`. `handler` answers requests; `delegate`
    /// words the server's own refusals and hears of every response and connection.
    public init(configuration: HTTPServerConfiguration, logger: Logger, delegate: any HTTPServerDelegate,
                handler: @escaping HTTPHandler) throws(SocketError) {
        self.configuration = configuration
        self.logger = logger
        self.delegate = delegate
        // A write to a connection the client has closed must fail, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let services = HTTPServices(handler: handler, delegate: delegate)
        self.services = services
        var workers: [IOWorker] = []
        for index in 0..<max(1, configuration.workerThreads) {
            workers.append(try IOWorker(name: "portinfo.worker\(index)", services: services))
        }
        self.workers = workers
        let listener = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        port = listener.localPort
        acceptor = ConnectionAcceptor(listener: listener, logger: logger)
    }

    /// Starts the I/O threads and accepting; throws when the system will not start a thread.
    public func start() throws(SocketError) {
        for worker in workers { try worker.start { [weak self] in self?.connectionClosed($0) } }
        acceptor.start { [self] in admit($0, remoteAddress: $1) }
    }

    /// Connections being served now.
    public var openConnections: Int { state.withLock { $0.open } }

    // MARK: Admitting, on the accept queue

    private enum Admission {
        case serve
        /// Turned away with a 503 that says why; `linger` when there is room to do it politely.
        case refuse(detail: String, linger: Bool)
    }

    private func admit(_ socket: Socket, remoteAddress: String) {
        let limits = configuration.limits
        let now = ContinuousClock.now
        var report: Int?
        let admission = state.withLock { state -> Admission in
            let detail: String
            if state.shuttingDown {
                detail = "the server is stopping"
            } else if state.open >= limits.maxConnections {
                detail = "the server has \(limits.maxConnections) connections open; try again shortly"
            } else if state.openByClient[remoteAddress, default: 0] >= limits.maxConnectionsPerClient {
                detail = "this client has \(limits.maxConnectionsPerClient) connections open, the most one client may; "
                    + "reuse them (keep-alive) or try again shortly"
            } else {
                state.open += 1
                state.openByClient[remoteAddress, default: 0] += 1
                return .serve
            }
            report = state.refusalReport.record(at: now)
            let linger = state.lingeringRefusals < Self.maxLingeringRefusals
            if linger { state.lingeringRefusals += 1 }
            return .refuse(detail: detail, linger: linger)
        }
        if let report { logger.warning("refused \(report) connections since the last report; the latest from \(remoteAddress)") }
        // The worker with the fewest connections: round-robin would let the connections that end
        // together (at their request limit) come back unevenly, and one thread's share of the
        // processor would then be split among more connections than the other's.
        let worker = workers.min { $0.connectionCount.load(ordering: .relaxed) < $1.connectionCount.load(ordering: .relaxed) }!
        switch admission {
        case .serve:
            delegate.connectionOpened()
            worker.adopt(socket, remoteAddress: remoteAddress, limits: limits, refusal: nil)
        case let .refuse(detail, linger):
            delegate.connectionRejected()
            let refusal = delegate.refusal(status: 503, detail: detail, retryAfterSeconds: Self.retryAfterSeconds)
            if linger {
                worker.adopt(socket, remoteAddress: remoteAddress, limits: limits, refusal: refusal)
            } else {
                var bytes: [UInt8] = []
                var date = HTTPDateField()
                HTTPResponseWriter.write(refusal, headOnly: false, close: true, keepAliveHTTP10: false,
                                         dateField: date.field(at: time(nil)), into: &bytes)
                _ = bytes.withUnsafeBytes { socket.write($0) }
                // What the client sent already is read first: closing on unread input would
                // reset the connection, and the client might lose the answer.
                socket.shutDownWriting()
                withUnsafeTemporaryAllocation(byteCount: 16 * 1024, alignment: 1) { buffer in
                    while case .bytes = socket.read(into: buffer) {}
                }
                socket.close()
            }
        }
    }

    /// On the closing connection's I/O thread.
    private func connectionClosed(_ connection: HTTPConnection) {
        if connection.isServed { delegate.connectionClosed() }
        let finished = state.withLock { state -> Bool in
            if connection.isServed {
                state.open -= 1
                let remaining = state.openByClient[connection.remoteAddress, default: 1] - 1
                state.openByClient[connection.remoteAddress] = remaining > 0 ? remaining : nil
            } else {
                state.lingeringRefusals -= 1
            }
            guard state.shuttingDown, state.open == 0, !state.finished else { return false }
            state.finished = true
            return true
        }
        if finished { stopped.signal() }
    }

    // MARK: Stopping

    /// Stops accepting, lets requests in flight and requests already received finish (idle
    /// connections close at once), and after the grace period closes whatever is left. Returns
    /// when every connection is closed.
    public func shutDown() {
        services.stopping.store(true, ordering: .relaxed)
        let idle = state.withLock { state -> Bool in
            state.shuttingDown = true
            if state.open == 0 { state.finished = true }
            return state.open == 0
        }
        acceptor.stop()
        if idle {
            stopped.signal()
        } else {
            workers.forEach { $0.shutDownConnections() }
        }
        if stopped.wait(timeout: .now() + configuration.limits.shutdownGracePeriod.dispatchInterval) == .timedOut {
            logger.warning("shutdown grace period over: closing \(openConnections) connections")
            workers.forEach { $0.forceCloseConnections() }
            stopped.wait()
        }
        // Refusals still lingering are closed too.
        workers.forEach { $0.forceCloseConnections() }
        workers.forEach { $0.stop() }
    }
}
