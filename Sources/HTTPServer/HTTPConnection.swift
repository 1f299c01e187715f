import Dispatch
import Logging

/// One client connection. Everything it does runs on its own serial queue: reads as the socket
/// has data, requests parsed and answered in order (pipelined ones too), responses written as
/// the socket takes them. Reading pauses while a response waits to be written, so a client that
/// does not read cannot make the server buffer without end.
final class HTTPConnection: HTTPResponseSink, @unchecked Sendable {
    private let socket: Socket
    private let remoteAddress: String
    private let limits: HTTPLimits
    private let handler: HTTPHandler
    private let accessLog: Logger?
    private let observer: (any HTTPServerObserver)?
    private let queue: DispatchQueue
    private let onClose: @Sendable (HTTPConnection) -> Void
    private let isShuttingDown: @Sendable () -> Bool

    private let readSource: any DispatchSourceRead
    private var writeSource: (any DispatchSourceWrite)?
    private var writeSourceSuspended = true
    private var readSourceSuspended = false
    private let timer: any DispatchSourceTimer

    private var inbound = InboundBuffer()
    private var outbound: [UInt8] = []
    private var written = 0
    private var parser: HTTPRequestParser
    private var requestsAnswered = 0
    /// A request the handler is answering elsewhere: nothing more is parsed until it answers.
    private var awaiting: (request: HTTPRequest, id: UInt64, started: ContinuousClock.Instant, last: Bool)?
    /// Set once the connection must end after what is queued has been written.
    private var closeAfterWrite = false
    private var closed = false
    /// When the request under way started arriving (for the header timeout).
    private var requestStarted: ContinuousClock.Instant?
    /// When the connection times out (header or idle timeout, whichever applies).
    private var deadline = DispatchTime.distantFuture
    /// When the timer is set to fire; it is moved only when a deadline comes earlier, since
    /// rescheduling a dispatch timer for every request would cost more than the request.
    private var timerFiresAt = DispatchTime.distantFuture

    /// Bytes read from the socket at a time.
    private static let readChunkSize = 64 * 1024
    /// Output held before reading pauses.
    private static let outboundHighWater = 256 * 1024

    init(socket: Socket, remoteAddress: String, limits: HTTPLimits, handler: @escaping HTTPHandler, accessLog: Logger?,
         observer: (any HTTPServerObserver)?, targetQueue: DispatchQueue, isShuttingDown: @escaping @Sendable () -> Bool,
         onClose: @escaping @Sendable (HTTPConnection) -> Void) {
        self.socket = socket
        self.remoteAddress = remoteAddress
        self.limits = limits
        self.handler = handler
        self.accessLog = accessLog
        self.observer = observer
        self.onClose = onClose
        self.isShuttingDown = isShuttingDown
        queue = DispatchQueue(label: "portinfo.connection", target: targetQueue)
        readSource = DispatchSource.makeReadSource(fileDescriptor: socket.descriptor, queue: queue)
        timer = DispatchSource.makeTimerSource(queue: queue)
        parser = HTTPRequestParser(limits: limits, remoteAddress: remoteAddress)
    }

    func start() {
        queue.async { [self] in
            readSource.setEventHandler { [unowned self] in readAvailable() }
            timer.setEventHandler { [unowned self] in timedOut() }
            armTimer(after: limits.idleTimeout)
            timer.resume()
            readSource.resume()
        }
    }

    /// Graceful shutdown: an idle connection closes now; one with a request under way finishes it first.
    func shutDown() {
        queue.async { [self] in
            if parser.isBetweenRequests && inbound.isEmpty && written == outbound.count {
                close()
            } else {
                closeAfterWrite = closeAfterWrite || parser.isBetweenRequests
            }
        }
    }

    /// Closes the connection whatever it is doing.
    func forceClose() {
        queue.async { [self] in close() }
    }

    // MARK: Reading and answering

    /// Reads until the socket has nothing more (or the connection stops reading), answering as it goes.
    private func readAvailable() {
        while !closed && !readSourceSuspended && !closeAfterWrite {
            var result = Socket.ReadResult.wouldBlock
            withUnsafeTemporaryAllocation(byteCount: Self.readChunkSize, alignment: 1) { chunk in
                result = socket.read(into: chunk)
                if case let .bytes(count) = result { inbound.append(UnsafeRawBufferPointer(rebasing: chunk[..<count])) }
            }
            switch result {
            case .bytes:
                answerRequests()
            case .wouldBlock:
                return
            case .closed:
                // The client sent all it will; answer what it asked, then close.
                answerRequests()
                closeAfterWrite = true
                if written == outbound.count { close() }
                return
            }
        }
    }

    private func answerRequests() {
        while !closeAfterWrite && !closed && awaiting == nil {
            if requestStarted == nil && !inbound.isEmpty {
                requestStarted = .now
                armTimer(after: limits.headerTimeout)
            }
            switch parser.next(from: &inbound) {
            case .needMore:
                flush()
                return
            case let .request(request, keepAlive):
                requestStarted = nil
                requestsAnswered += 1
                let started = ContinuousClock.now
                let last = !keepAlive || requestsAnswered >= limits.maxRequestsPerConnection
                let id = UInt64(requestsAnswered)
                guard let response = handler(request, HTTPResponder(sink: self, request: id)) else {
                    awaiting = (request, id, started, last)
                    return flush()
                }
                enqueue(response, to: request, started: started, last: last)
            case let .failure(error):
                refuse(status: error.status, detail: error.detail)
            }
        }
        flush()
    }

    private func enqueue(_ response: HTTPResponse, to request: HTTPRequest, started: ContinuousClock.Instant, last: Bool) {
        let last = last || isShuttingDown()
        if last { closeAfterWrite = true }
        let before = outbound.count
        HTTPResponseWriter.write(response, headOnly: request.method == "HEAD", close: last,
                                 keepAliveHTTP10: request.version == .http1_0, into: &outbound)
        log(request, response.status, bytes: outbound.count - before, elapsed: ContinuousClock.now - started)
        if inbound.isEmpty { armTimer(after: limits.idleTimeout) }
    }

    func deliver(_ response: HTTPResponse, forRequest id: UInt64) {
        queue.async { [self] in
            guard let awaiting, awaiting.id == id, !closed else { return }
            self.awaiting = nil
            enqueue(response, to: awaiting.request, started: awaiting.started, last: awaiting.last)
            answerRequests()
        }
    }

    /// Answers with an error of the server's own and closes once it is written.
    private func refuse(status: Int, detail: String) {
        closeAfterWrite = true
        HTTPResponseWriter.write(HTTPResponseWriter.problem(status: status, detail: detail), headOnly: false, close: true,
                                 keepAliveHTTP10: false, into: &outbound)
        observer?.requestRefused(status: status)
        accessLog?.info("\(remoteAddress) refused: \(status) \(detail)")
    }

    private func log(_ request: HTTPRequest, _ status: Int, bytes: Int, elapsed: Duration) {
        guard let accessLog else { return }
        let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        accessLog.info("\(remoteAddress) \"\(request.method) \(request.target)\" \(status) \(bytes)B \(microseconds)µs")
    }

    // MARK: Writing

    private func flush() {
        guard !closed else { return }
        while written < outbound.count {
            let sent = outbound.withUnsafeBytes { socket.write(UnsafeRawBufferPointer(rebasing: $0[written...])) }
            guard let sent else { return close() }
            if sent == 0 { break }
            written += sent
        }
        if written == outbound.count {
            outbound.removeAll(keepingCapacity: outbound.capacity <= Self.outboundHighWater)
            written = 0
            setWriteWaiting(false)
            if closeAfterWrite { return close() }
            setReading(true)
        } else {
            setWriteWaiting(true)
            setReading(!closeAfterWrite && outbound.count - written < Self.outboundHighWater)
        }
    }

    private func setWriteWaiting(_ waiting: Bool) {
        if waiting && writeSource == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: socket.descriptor, queue: queue)
            source.setEventHandler { [unowned self] in flush() }
            writeSource = source
        }
        guard let writeSource, waiting == writeSourceSuspended else { return }
        writeSourceSuspended = !waiting
        if waiting { writeSource.resume() } else { writeSource.suspend() }
    }

    private func setReading(_ reading: Bool) {
        guard reading == readSourceSuspended, !closed else { return }
        readSourceSuspended = !reading
        if reading { readSource.resume() } else { readSource.suspend() }
    }

    // MARK: Time limits and closing

    private func armTimer(after interval: Duration) {
        let (seconds, attoseconds) = interval.components
        deadline = .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        if deadline < timerFiresAt { scheduleTimer() }
    }

    private func scheduleTimer() {
        timerFiresAt = deadline
        timer.schedule(deadline: deadline, repeating: .never)
    }

    private func timedOut() {
        guard !closed else { return }
        guard DispatchTime.now() >= deadline else { return scheduleTimer() } // the deadline moved on since
        timerFiresAt = .distantFuture
        if requestStarted != nil {
            refuse(status: 408, detail: "the request's header section did not arrive within \(limits.headerTimeout)")
            flush()
            // A client too slow to send may be too slow to read: do not wait for it.
            if !closed { close() }
        } else if written == outbound.count {
            close()
        } else {
            armTimer(after: limits.idleTimeout) // still writing a response: give it another while
        }
    }

    private func close() {
        guard !closed else { return }
        closed = true
        timer.cancel()
        // The descriptor may be closed only after every source on it has been cancelled.
        let sources = DispatchGroup()
        for source in [readSource as any DispatchSourceProtocol] + (writeSource.map { [$0] } ?? []) {
            sources.enter()
            source.setCancelHandler { sources.leave() }
            source.cancel()
        }
        if readSourceSuspended { readSource.resume() }
        if let writeSource, writeSourceSuspended { writeSource.resume() }
        sources.notify(queue: queue) { [socket, onClose, self] in
            socket.close()
            onClose(self)
        }
    }
}
