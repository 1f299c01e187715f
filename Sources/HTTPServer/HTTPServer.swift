import Dispatch
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where and how the server listens.
public struct HTTPServerConfiguration: Sendable {
    /// A numeric address or host name; `::` listens on every IPv6 and IPv4 address.
    public var host = "::"
    /// 0 asks for any free port (tests); `HTTPServer.port` tells which one.
    public var port = 8080
    /// Connections the kernel may hold waiting for accept.
    public var backlog: Int32 = 511
    /// Threads answering requests; each connection is served by one of them. Its own threads
    /// (not Dispatch's shared pool) keep the server answering whatever else the process runs.
    public var workerThreads = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    public var limits = HTTPLimits()

    public init() {}
}

/// An HTTP/1.1 server on POSIX sockets and Dispatch: non-blocking sockets watched by dispatch
/// sources (epoll underneath), one serial queue per connection, no thread per connection.
/// It knows nothing of what it serves: each request goes to the handler.
/// (Unchecked Sendable: its mutable state is behind a Mutex; dispatch sources are thread-safe.)
public final class HTTPServer: @unchecked Sendable {
    public let configuration: HTTPServerConfiguration
    private let handler: HTTPHandler
    private let accessLog: Logger?
    private let observer: (any HTTPServerObserver)?
    private let logger: Logger
    private let listener: Socket
    /// The port the server listens on.
    public let port: Int
    private let acceptQueue = DispatchQueue(label: "portinfo.accept")
    /// Serial queues, each run by a thread of its own when it has work.
    private let workers: [DispatchQueue]
    private let acceptSource: any DispatchSourceRead
    private let state = Mutex(State())
    private let stopped = DispatchSemaphore(value: 0)

    private struct State {
        var connections: [ObjectIdentifier: HTTPConnection] = [:]
        var accepted = 0
        var rejected = 0
        var shuttingDown = false
        var finished = false
    }

    /// Binds and listens; serving starts with `start()`. `accessLog`, when given, gets a line per
    /// request; `observer`, when given, hears of every connection and request.
    public init(configuration: HTTPServerConfiguration, logger: Logger, accessLog: Logger?,
                observer: (any HTTPServerObserver)? = nil, handler: @escaping HTTPHandler) throws(SocketError) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.accessLog = accessLog
        self.observer = observer
        // A write to a connection the client has closed must fail, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        listener = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        port = listener.localPort
        workers = (0..<max(1, configuration.workerThreads)).map { DispatchQueue(label: "portinfo.worker\($0)") }
        acceptSource = DispatchSource.makeReadSource(fileDescriptor: listener.descriptor, queue: acceptQueue)
    }

    public func start() {
        acceptSource.setEventHandler { [self] in acceptPending() }
        acceptSource.setCancelHandler { [listener] in listener.close() }
        acceptSource.resume()
    }

    /// Connections open now.
    public var openConnections: Int { state.withLock { $0.connections.count } }
    /// Connections refused (503) because `maxConnections` were open.
    public var rejectedConnections: Int { state.withLock { $0.rejected } }

    private func acceptPending() {
        while true {
            let accepted: (Socket, String)?
            do {
                accepted = try listener.accept()
            } catch {
                // Out of descriptors, most likely: say so, and let the next readiness event retry.
                logger.error("cannot accept a connection: \(error)")
                return
            }
            guard let (socket, remoteAddress) = accepted else { return }
            let worker = state.withLock { state -> DispatchQueue? in
                guard state.connections.count < configuration.limits.maxConnections, !state.shuttingDown else {
                    state.rejected += 1
                    return nil
                }
                state.accepted += 1
                return workers[state.accepted % workers.count]
            }
            guard let worker else {
                refuseOverCapacity(socket)
                observer?.connectionRejected()
                continue
            }
            let connection = HTTPConnection(
                socket: socket, remoteAddress: remoteAddress, limits: configuration.limits, handler: handler,
                accessLog: accessLog, observer: observer, targetQueue: worker,
                isShuttingDown: { [weak self] in self?.state.withLock(\.shuttingDown) ?? true },
                onClose: { [weak self] closed in self?.connectionClosed(closed) })
            state.withLock { $0.connections[ObjectIdentifier(connection)] = connection }
            observer?.connectionOpened()
            connection.start()
        }
    }

    /// Over the connection limit: a 503 sent without waiting, then close.
    private func refuseOverCapacity(_ socket: Socket) {
        var response: [UInt8] = []
        HTTPResponseWriter.write(
            HTTPResponseWriter.problem(status: 503, detail: "the server has \(configuration.limits.maxConnections) connections open; try again shortly"),
            headOnly: false, close: true, keepAliveHTTP10: false, into: &response)
        _ = response.withUnsafeBytes { socket.write($0) }
        socket.close()
    }

    private func connectionClosed(_ connection: HTTPConnection) {
        observer?.connectionClosed()
        let finished = state.withLock { state -> Bool in
            state.connections[ObjectIdentifier(connection)] = nil
            guard state.shuttingDown, state.connections.isEmpty, !state.finished else { return false }
            state.finished = true
            return true
        }
        if finished { stopped.signal() }
    }

    /// Stops accepting, lets requests in flight finish (idle connections close at once), and
    /// after the grace period closes whatever is left. Returns when every connection is closed.
    public func shutDown() {
        let connections = state.withLock { state -> [HTTPConnection] in
            state.shuttingDown = true
            if state.connections.isEmpty { state.finished = true }
            return Array(state.connections.values)
        }
        acceptSource.cancel()
        if connections.isEmpty {
            stopped.signal()
        } else {
            connections.forEach { $0.shutDown() }
        }
        let (seconds, attoseconds) = configuration.limits.shutdownGracePeriod.components
        let grace = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        if stopped.wait(timeout: grace) == .timedOut {
            let left = state.withLock { Array($0.connections.values) }
            logger.warning("shutdown grace period over: closing \(left.count) connections")
            left.forEach { $0.forceClose() }
            stopped.wait()
        }
    }
}
