/// One connection's life as a value: what has arrived and is not yet parsed, what waits to be
/// written, and where the connection is in its life (its ConnectionState: which request the
/// application is answering, when it times out, how it ends). Events go in (bytes read, the end
/// of the client's input, the application's answer, bytes written, a deadline passed, the
/// server stopping); `nextAction` says what to do next, and `interest` and `deadline` what to
/// wait for. It never touches a socket: HTTPConnection carries out its actions.
///
/// The rules that keep a hostile client from costing more than its share:
/// - one request at a time: the next is parsed only once the application has answered this one,
///   so pipelining cannot queue work;
/// - nothing is parsed while the output waiting for the client is above `outputHighWater`, and
///   nothing is read while the unparsed input is above `inputHighWater`;
/// - a request must arrive whole within the header timeout, a client must take some of its
///   output within the write timeout, an idle connection lasts the idle timeout;
/// - a connection ends by shutting down its writing side and dropping what still arrives, for
///   at most the linger time, so the client reads its answers rather than a reset.
///
/// Events a phase cannot meet are programming errors, and stop the process: socket events
/// (input, its end, a failure, room to write, bytes written without a `.write`) or `nextAction`
/// once the connection is closed, since a closed connection has left its worker; an answer to a
/// request never handed out. Events a phase meets in the ordinary course are ignored, each where
/// it is handled: input once the connection is ending (dropped), an answer once the connection
/// has ended or to a request already answered (dropped), stopping once it is ending.
struct ConnectionLifecycle {
    enum Action: Equatable {
        /// Hand the request to the application; call `answered` with its response and `number`.
        case answer(HTTPRequest, number: UInt64)
        /// The connection refused a request itself, and queued this refusal to be written.
        case refused(HTTPResponse, HTTPParseError)
        /// Write what `withPendingOutput` gives, then call `wrote` (or `socketFailed`).
        case write
        /// Shut down the socket's writing side; keep reading (`received`) until the client's end.
        case shutDownWriting
        /// Close the socket: the connection is over.
        case close
        /// Nothing to do until an event: the socket as `interest` says, the answer, or `deadline`.
        case wait
    }

    /// What the connection wants from its socket.
    struct Interest: Equatable {
        var read: Bool
        var write: Bool
    }

    /// Unparsed input held before reading stops.
    static let inputHighWater = 64 * 1024
    /// Output held for the client before parsing stops.
    static let outputHighWater = 256 * 1024
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private let limits: HTTPLimits
    /// How the server words what it refuses (its delegate's `refusal`).
    private let refusal: @Sendable (HTTPParseError) -> HTTPResponse
    private var parser: HTTPRequestParser
    private var input = InboundBuffer()
    private var output = OutboundBuffer()
    private var requestsHandedOut: UInt64 = 0
    private(set) var state: ConnectionState

    init(limits: HTTPLimits, remoteAddress: String, refusal: @escaping @Sendable (HTTPParseError) -> HTTPResponse, at time: EventTime) {
        self.limits = limits
        self.refusal = refusal
        parser = HTTPRequestParser(limits: limits, remoteAddress: remoteAddress)
        state = .waiting(since: time.moment, ConnectionState.Serving(output: .flowing, inputEnded: false, stoppingAt: nil))
    }

    /// A connection the server turns away at once: `refusal` is written, then it ends.
    init(refusing refusal: HTTPResponse, limits: HTTPLimits, at time: EventTime) {
        self.init(limits: limits, remoteAddress: "", refusal: { _ in refusal }, at: time)
        output.append(refusal, headOnly: false, close: true, keepAliveHTTP10: false, dateField: time.dateField)
        state = .finishing(linger: true, .flowing)
    }

    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    // MARK: Events

    /// Bytes read from the socket.
    mutating func received(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .waiting, .receiving, .answering: input.append(bytes)
        case .finishing, .timedOut, .lastWrite, .lingering, .closing: break // ending: what arrives now is dropped
        case .closed: preconditionFailure("input for a closed connection")
        }
    }

    /// The client shut down its side: it will send nothing more.
    mutating func receivedEnd() {
        switch state {
        case .waiting, .receiving, .answering: state.serving?.inputEnded = true
        case let .finishing(_, output): state = .finishing(linger: false, output) // nothing more is coming to wait for
        case .lingering: state = .closing
        case .timedOut, .lastWrite, .closing: break // closing after one write, or at once
        case .closed: preconditionFailure("the input's end for a closed connection")
        }
    }

    /// The socket failed (a reset): nothing more can be sent or read.
    mutating func socketFailed() {
        precondition(!isClosed, "a socket failure for a closed connection")
        state = .closing
    }

    /// Ends the connection now, whatever it is doing (a closed one stays closed).
    mutating func forceClose() {
        if !isClosed { state = .closing }
    }

    /// The application's answer to request `number`: that request, for the delegate to hear of,
    /// or nil when the answer is dropped (the connection ended while the application worked, or
    /// the application answered this request before).
    mutating func answered(_ response: HTTPResponse, toRequest number: UInt64, at time: EventTime) -> ConnectionState.Answering? {
        precondition(number >= 1 && number <= requestsHandedOut, "an answer to request \(number), never handed out")
        guard case let .answering(answering, serving) = state, answering.number == number else { return nil }
        let serverEnds = requestsHandedOut >= limits.maxRequestsPerConnection
            || (serving.stoppingAt != nil && input.isEmpty && parser.isBetweenRequests)
        let last = !answering.keepAlive || serverEnds
        let request = answering.request
        output.append(response, headOnly: request.method == "HEAD", close: last,
                      keepAliveHTTP10: request.version == .http1_0 && !last, dateField: time.dateField)
        if last {
            // A client that asked to close sends nothing more, unless it already has.
            state = .finishing(linger: (serverEnds || !input.isEmpty) && !serving.inputEnded, serving.output)
        } else {
            state = .waiting(since: time.moment, serving)
        }
        return answering
    }

    /// The socket took `count` bytes of the pending output; it took all it could.
    mutating func wrote(_ count: Int, at time: EventTime) {
        output.consume(count)
        guard let flow = state.output else {
            guard case .lastWrite = state else { preconditionFailure("bytes written with no write asked for") }
            state = .closing
            return
        }
        if output.isEmpty {
            state.output = .flowing
            if case let .waiting(_, serving) = state { state = .waiting(since: time.moment, serving) }
        } else {
            // Taking some moves the write timeout on; taking none keeps it.
            state.output = .blocked(since: count > 0 ? time.moment : flow.stalledSince ?? time.moment)
        }
    }

    /// The socket can take output again.
    mutating func becameWritable() {
        precondition(!isClosed, "room to write for a closed connection")
        if case let .blocked(since)? = state.output { state.output = .unblocked(since: since) }
    }

    /// The server is stopping: requests that have arrived are answered, the last with
    /// `Connection: close`; a waiting connection waits `shutdownIdleWait` for a request that may
    /// already be on its way, then ends. A connection that is ending already goes on ending.
    mutating func shutDown(at time: EventTime) {
        guard var serving = state.serving, serving.stoppingAt == nil else { return }
        serving.stoppingAt = time.moment + limits.shutdownIdleWait
        state.serving = serving
    }

    /// A moment at or after `deadline`: whatever timed out takes effect.
    mutating func deadlinePassed(at time: EventTime) {
        let now = time.moment
        if let stalled = state.output?.stalledSince, now >= stalled + limits.writeTimeout {
            state = .closing // no linger for a client that reads nothing
            return
        }
        switch state {
        case let .waiting(since, serving):
            guard output.isEmpty else { return }
            if now >= since + limits.idleTimeout || serving.stoppingAt.map({ now >= $0 }) == true {
                state = .finishing(linger: !serving.inputEnded, serving.output)
            }
        case let .receiving(since, _):
            if now >= since + limits.headerTimeout { state = .timedOut }
        case let .lingering(until):
            if now >= until { state = .closing }
        case .answering, .finishing, .timedOut, .lastWrite, .closing, .closed:
            break
        }
    }

    // MARK: What to do

    mutating func nextAction(at time: EventTime) -> Action {
        while true {
            switch state {
            case .closed:
                preconditionFailure("an action asked of a closed connection")
            case .closing:
                state = .closed
                return .close
            case .lingering:
                return .wait
            case .timedOut:
                let failure = HTTPParseError(status: 408, detail: "the request did not arrive whole within \(limits.headerTimeout)")
                // A client too slow to send may be too slow to read: it gets one try at the answer.
                return refuse(failure, then: .lastWrite, at: time)
            case .lastWrite:
                if !output.isEmpty { return .write }
                state = .closed
                return .close
            case let .finishing(linger, flow):
                if !output.isEmpty { return flow.isBlocked ? .wait : .write }
                if !linger {
                    state = .closing
                    continue
                }
                state = .lingering(until: time.moment + limits.lingerTimeout)
                return .shutDownWriting
            case let .answering(_, serving):
                return !output.isEmpty && !serving.output.isBlocked ? .write : .wait
            case let .waiting(_, serving), let .receiving(_, serving):
                if !output.isEmpty && !serving.output.isBlocked { return .write }
                if output.count >= Self.outputHighWater { return .wait }
                switch parser.next(from: &input) {
                case let .request(request, keepAlive):
                    requestsHandedOut += 1
                    let answering = ConnectionState.Answering(request: request, number: requestsHandedOut,
                                                              handedOutAt: time.moment, keepAlive: keepAlive)
                    state = .answering(answering, serving)
                    return .answer(request, number: requestsHandedOut)
                case .continueExpected:
                    output.append(Self.continueResponse)
                case let .failure(failure):
                    return refuse(failure, then: .finishing(linger: !serving.inputEnded, serving.output), at: time)
                case .needMore:
                    if case .waiting = state, !(input.isEmpty && parser.isBetweenRequests) {
                        state = .receiving(since: time.moment, serving)
                    }
                    // The client sent all it will: a request cut short gets no answer.
                    if serving.inputEnded {
                        state = .finishing(linger: false, serving.output)
                        continue
                    }
                    return .wait
                }
            }
        }
    }

    /// Queues the server's refusal of what the client sent, to be reported, and moves to `ending`.
    private mutating func refuse(_ failure: HTTPParseError, then ending: ConnectionState, at time: EventTime) -> Action {
        let response = refusal(failure)
        output.append(response, headOnly: false, close: true, keepAliveHTTP10: false, dateField: time.dateField)
        state = ending
        return .refused(response, failure)
    }

    /// What waits to be written, for `.write`.
    func withPendingOutput<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try output.withPendingBytes(body)
    }

    var interest: Interest {
        switch state {
        case let .waiting(_, serving), let .receiving(_, serving), let .answering(_, serving):
            Interest(read: !serving.inputEnded && input.count < Self.inputHighWater && output.count < Self.outputHighWater,
                     write: serving.output.isBlocked)
        case let .finishing(_, flow): Interest(read: false, write: flow.isBlocked)
        case .lingering: Interest(read: true, write: false)
        case .timedOut, .lastWrite, .closing, .closed: Interest(read: false, write: false)
        }
    }

    /// When the connection next needs attention if nothing happens: `deadlinePassed` then.
    var deadline: Moment? {
        let writeDeadline = state.output?.stalledSince.map { $0 + limits.writeTimeout }
        switch state {
        case let .waiting(since, serving):
            guard writeDeadline == nil, output.isEmpty else { return writeDeadline }
            let idleUntil = since + limits.idleTimeout
            return serving.stoppingAt.map { min($0, idleUntil) } ?? idleUntil
        case let .receiving(since, _):
            let headerDeadline = since + limits.headerTimeout
            return writeDeadline.map { min($0, headerDeadline) } ?? headerDeadline
        case .answering, .finishing:
            return writeDeadline
        case let .lingering(until):
            return until
        case .timedOut, .lastWrite, .closing, .closed:
            return nil
        }
    }
}
