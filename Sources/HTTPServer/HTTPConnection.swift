import Basics
import Logging
import Sockets
import Synchronization

/// One client connection, carrying out what its ConnectionLifecycle decides: reading when the
/// socket is readable, handing each request to the application, writing answers as the socket
/// takes them, closing when it is over. (Unchecked Sendable: its mutable state belongs to its
/// IOWorker's thread, the only one that uses it; an answer the application gives later, from
/// another thread, is handed to that thread first.)
final class HTTPConnection: HTTPResponseSink, @unchecked Sendable {
    let id: UInt64
    let socket: Socket
    let remoteAddress: String
    /// False for a connection that was turned away at once (it only writes its refusal).
    let isServed: Bool
    private let worker: IOWorker
    private let services: HTTPServices
    private var lifecycle: ConnectionLifecycle
    /// What the epoll set watches for this socket.
    private var registered: ConnectionLifecycle.Interest
    /// The epoll set told of the peer's FIN: every read is followed by another until one finds
    /// the end, since the set may tell of it no more.
    private var peerFinished = false

    init(id: UInt64, socket: Socket, remoteAddress: String, lifecycle: ConnectionLifecycle, isServed: Bool,
         worker: IOWorker, services: HTTPServices) {
        self.id = id
        self.socket = socket
        self.remoteAddress = remoteAddress
        self.lifecycle = lifecycle
        self.isServed = isServed
        self.worker = worker
        self.services = services
        registered = lifecycle.interest
    }

    /// The interest to register the socket with when it joins the epoll set.
    var initialInterest: ConnectionLifecycle.Interest { registered }

    var deadline: Moment? { lifecycle.deadline }

    // MARK: Events, on the worker's thread

    /// Reads at most once; true when the connection still reads and there is more to read that
    /// the edge-triggered set will not report again: the read filled `readBuffer`, or it took the
    /// input before the peer's FIN, whose end a read must find.
    func socketReady(_ readiness: EpollSet.Readiness, at time: EventTime, readBuffer: UnsafeMutableRawBufferPointer) -> Bool {
        var filledBuffer = false
        if readiness.peerFinished { peerFinished = true }
        if readiness.readable || (readiness.hungUp && registered.read) {
            switch socket.read(into: readBuffer) {
            case let .bytes(count):
                filledBuffer = count == readBuffer.count || peerFinished
                lifecycle.received(UnsafeRawBufferPointer(rebasing: readBuffer[..<count]))
            case .wouldBlock: break
            case .end: lifecycle.receivedEnd()
            case .failed: lifecycle.socketFailed()
            }
        } else if readiness.hungUp {
            lifecycle.socketFailed()
        }
        if readiness.writable { lifecycle.becameWritable() }
        run(at: time)
        // Not reading now, it is reported again once its interest turns back to reading.
        return filledBuffer && !lifecycle.isClosed && registered.read
    }

    func deadlinePassed(at time: EventTime) {
        lifecycle.deadlinePassed(at: time)
        run(at: time)
    }

    func shutDown(at time: EventTime) {
        lifecycle.shutDown(at: time)
        run(at: time)
    }

    func forceClose(at time: EventTime) {
        lifecycle.forceClose()
        run(at: time)
    }

    /// From any thread: the application's answer to request `number`.
    func deliver(_ response: HTTPResponse, forRequest number: UInt64) {
        worker.execute { [self] in
            let time = worker.eventTime()
            if finish(number, with: response, at: time) { run(at: time) }
        }
    }

    // MARK: Carrying out the lifecycle's actions

    private func run(at time: EventTime) {
        while true {
            switch lifecycle.nextAction(at: time) {
            case let .answer(request, number):
                if let response = services.handler(request, HTTPResponder(sink: self, request: number)) {
                    finish(number, with: response, at: time)
                }
            case let .refused(response, failure):
                services.delegate.sent(response, for: .refused(status: failure.status, detail: failure.detail), to: remoteAddress,
                                       after: .zero)
            case .write:
                if let sent = lifecycle.withPendingOutput({ socket.write($0) }) {
                    lifecycle.wrote(sent, at: time)
                } else {
                    lifecycle.socketFailed()
                }
            case .shutDownWriting:
                socket.shutDownWriting()
            case .close:
                worker.closed(self)
                return
            case .wait:
                let interest = lifecycle.interest
                if interest != registered {
                    registered = interest
                    worker.watch(self, interest: interest)
                }
                return
            }
        }
    }

    /// Hands the lifecycle the application's answer, and the delegate hears of it; false when the
    /// answer was dropped (the connection ended while the application worked, or it answered twice).
    @discardableResult
    private func finish(_ number: UInt64, with response: HTTPResponse, at time: EventTime) -> Bool {
        // The server may have begun stopping while the application worked: this answer says so.
        if services.stopping.load(ordering: .relaxed) { lifecycle.shutDown(at: time) }
        guard let answered = lifecycle.answered(response, toRequest: number, at: time) else { return false }
        services.delegate.sent(response, for: .answered(answered.request), to: remoteAddress,
                               after: Moment(worker.now()) - answered.handedOutAt)
        return true
    }
}

/// What every connection of a server shares: the application and its delegate, and whether the
/// server is stopping.
final class HTTPServices: Sendable {
    let handler: HTTPHandler
    let delegate: any HTTPServerDelegate
    let stopping = Atomic(false)

    init(handler: @escaping HTTPHandler, delegate: any HTTPServerDelegate) {
        self.handler = handler
        self.delegate = delegate
    }

    /// How the delegate words a request the parser or a timeout refused.
    func refusal(_ failure: HTTPParseError) -> HTTPResponse {
        delegate.refusal(status: failure.status, detail: failure.detail, retryAfterSeconds: nil)
    }
}
