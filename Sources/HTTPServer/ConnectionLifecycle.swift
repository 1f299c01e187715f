/// When an event happened, as a connection's deadlines and its responses' Date field need it.
struct EventTime {
    let instant: ContinuousClock.Instant
    /// `Date: …\r\n`, for responses written now.
    let dateField: String
}

/// One connection's life as a value: what has arrived and is not yet parsed, what waits to be
/// written, which request the application is answering, and when the connection times out.
/// Events go in (bytes read, the end of the client's input, the application's answer, bytes
/// written, a deadline passed, the server stopping); `nextAction` says what to do next, and
/// `interest` and `deadline` what to wait for. It never touches a socket: HTTPConnection carries
/// out its actions, and tests drive it without one.
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
struct ConnectionLifecycle {
    enum Action: Equatable {
        /// Hand the request to the application; call `answered` with its response.
        case answer(HTTPRequest)
        /// The connection refused a request itself, and queued this refusal to be written.
        case refused(HTTPResponse, HTTPParseError)
        /// Write what `pendingOutput` holds, then call `wrote` (or `writeFailed`).
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
    /// The request the application is answering: how its response is to be written.
    private var answering: (headOnly: Bool, http10: Bool, keepAlive: Bool)?
    private var requestsAnswered = 0
    /// When the request under way began to arrive.
    private var requestStartedAt: ContinuousClock.Instant?
    /// When the connection last finished something (opened, or wrote a whole answer).
    private var lastActivity: ContinuousClock.Instant
    /// When the socket last stopped taking output, with output still waiting.
    private var writeStalledSince: ContinuousClock.Instant?
    /// The last write took less than it was given: wait until the socket is writable.
    private var socketFull = false
    private var ending = Ending.no
    /// The client has sent all it will.
    private var inputEnded = false
    /// The server is stopping: answer what has arrived, then end; while idle, end at this time.
    private var stoppingIdleUntil: ContinuousClock.Instant?
    /// A refusal made outside `nextAction` (a timeout), for it to report.
    private var unreportedRefusal: (HTTPResponse, HTTPParseError)?

    private enum Ending: Equatable {
        case no
        /// End once the output is written (an answer said `Connection: close`, or a refusal):
        /// `linger` when the client may still be sending, since the server chose to end.
        case afterOutput(linger: Bool)
        /// One write of what is queued, then close at once: the client was too slow to wait for.
        case afterOneWrite
        /// Writing is shut down; input is dropped until the client's end or `until`.
        case lingering(until: ContinuousClock.Instant, shutDownSent: Bool)
        /// Close now.
        case now
        case closed
    }

    init(limits: HTTPLimits, remoteAddress: String, refusal: @escaping @Sendable (HTTPParseError) -> HTTPResponse, at time: EventTime) {
        self.limits = limits
        self.refusal = refusal
        parser = HTTPRequestParser(limits: limits, remoteAddress: remoteAddress)
        lastActivity = time.instant
    }

    /// A connection the server turns away at once: `refusal` is written, then it ends.
    init(refusing refusal: HTTPResponse, limits: HTTPLimits, at time: EventTime) {
        self.init(limits: limits, remoteAddress: "", refusal: { _ in refusal }, at: time)
        output.append(refusal, headOnly: false, close: true, keepAliveHTTP10: false, dateField: time.dateField)
        ending = .afterOutput(linger: true)
    }

    // MARK: Events

    /// Bytes read from the socket.
    mutating func received(_ bytes: UnsafeRawBufferPointer, at time: EventTime) {
        guard case .no = ending else { return } // ending: what arrives now is dropped
        input.append(bytes)
    }

    /// The client shut down its side: it will send nothing more.
    mutating func receivedEnd() {
        inputEnded = true
    }

    /// The socket failed (a reset): nothing more can be sent or read.
    mutating func socketFailed() {
        if ending != .closed { ending = .now }
    }

    /// The application's answer to the request last handed out by `.answer`.
    mutating func answered(_ response: HTTPResponse, at time: EventTime) {
        guard let request = answering else { preconditionFailure("an answer with no request being answered") }
        answering = nil
        guard ending == .no else { return } // the connection ended while the application worked
        let serverEnds = requestsAnswered >= limits.maxRequestsPerConnection
            || (stoppingIdleUntil != nil && input.isEmpty && parser.isBetweenRequests)
        let last = !request.keepAlive || serverEnds
        // A client that asked to close sends nothing more, unless it already has.
        if last { ending = .afterOutput(linger: serverEnds || !input.isEmpty) }
        output.append(response, headOnly: request.headOnly, close: last, keepAliveHTTP10: request.http10 && !last,
                      dateField: time.dateField)
        lastActivity = time.instant
    }

    /// The socket took `count` bytes of `pendingOutput`; it took all it could.
    mutating func wrote(_ count: Int, at time: EventTime) {
        output.consume(count)
        if output.isEmpty {
            socketFull = false
            writeStalledSince = nil
            lastActivity = time.instant
        } else {
            socketFull = true
            if count > 0 || writeStalledSince == nil { writeStalledSince = time.instant }
        }
        if ending == .afterOneWrite { ending = .now }
    }

    /// The socket can take output again.
    mutating func becameWritable() {
        socketFull = false
    }

    /// The server is stopping: requests that have arrived are answered, the last with
    /// `Connection: close`; an idle connection waits `shutdownIdleWait` for a request that may
    /// already be on its way, then ends.
    mutating func shutDown(at time: EventTime) {
        guard stoppingIdleUntil == nil else { return }
        stoppingIdleUntil = time.instant + limits.shutdownIdleWait
    }

    /// Ends the connection now, whatever it is doing.
    mutating func forceClose() {
        if ending != .closed { ending = .now }
    }

    /// A moment at or after `deadline`: whatever timed out takes effect.
    mutating func deadlinePassed(at time: EventTime) {
        let now = time.instant
        switch ending {
        case let .lingering(until, _):
            if now >= until { ending = .now }
            return
        case .now, .closed, .afterOneWrite:
            return
        case .no, .afterOutput:
            break
        }
        let idle = answering == nil && ending == .no
        if let stalled = writeStalledSince, now >= stalled + limits.writeTimeout {
            ending = .now
        } else if idle, let started = requestStartedAt, now >= started + limits.headerTimeout {
            let failure = HTTPParseError(status: 408, detail: "the request did not arrive whole within \(limits.headerTimeout)")
            let response = refusal(failure)
            output.append(response, headOnly: false, close: true, keepAliveHTTP10: false, dateField: time.dateField)
            unreportedRefusal = (response, failure)
            // A client too slow to send may be too slow to read: it gets one try at the answer.
            ending = .afterOneWrite
        } else if idle, requestStartedAt == nil, output.isEmpty,
                  now >= lastActivity + limits.idleTimeout || now >= stoppingIdleUntil ?? .distantFuture {
            ending = .afterOutput(linger: true)
        }
    }

    // MARK: What to do

    mutating func nextAction(at time: EventTime) -> Action {
        while true {
            if let (response, failure) = unreportedRefusal {
                unreportedRefusal = nil
                return .refused(response, failure)
            }
            switch ending {
            case .closed:
                return .wait
            case .now:
                ending = .closed
                return .close
            case let .lingering(until, shutDownSent):
                if !shutDownSent {
                    ending = .lingering(until: until, shutDownSent: true)
                    return .shutDownWriting
                }
                if inputEnded { ending = .now; continue }
                return .wait
            case .afterOneWrite:
                return output.isEmpty ? .close : .write
            case let .afterOutput(linger):
                if !output.isEmpty { return socketFull ? .wait : .write }
                if answering != nil { return .wait }
                if inputEnded || !linger {
                    ending = .now // nothing more is coming: nothing to wait for
                } else {
                    ending = .lingering(until: time.instant + limits.lingerTimeout, shutDownSent: false)
                }
                continue
            case .no:
                break
            }
            if !output.isEmpty && !socketFull { return .write }
            if answering != nil || output.count >= Self.outputHighWater { return .wait }
            switch parser.next(from: &input) {
            case let .request(request, keepAlive):
                requestStartedAt = nil
                requestsAnswered += 1
                answering = (request.method == "HEAD", request.version == .http1_0, keepAlive)
                return .answer(request)
            case .continueExpected:
                output.append(Self.continueResponse)
            case let .failure(failure):
                let response = refusal(failure)
                output.append(response, headOnly: false, close: true, keepAliveHTTP10: false, dateField: time.dateField)
                ending = .afterOutput(linger: true)
                return .refused(response, failure)
            case .needMore:
                let betweenRequests = input.isEmpty && parser.isBetweenRequests
                if !betweenRequests && requestStartedAt == nil { requestStartedAt = time.instant }
                // The client sent all it will: a request cut short gets no answer.
                if inputEnded {
                    ending = .afterOutput(linger: false)
                    continue
                }
                return .wait
            }
        }
    }

    /// What waits to be written, for `.write`.
    func withPendingOutput<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try output.withPendingBytes(body)
    }

    var interest: Interest {
        let reading: Bool
        switch ending {
        case .no: reading = !inputEnded && input.count < Self.inputHighWater && output.count < Self.outputHighWater
        case .lingering: reading = !inputEnded
        case .afterOutput, .afterOneWrite, .now, .closed: reading = false
        }
        return Interest(read: reading, write: socketFull && !output.isEmpty && ending != .closed && ending != .now)
    }

    /// When the connection next needs attention if nothing happens: `deadlinePassed` then.
    var deadline: ContinuousClock.Instant? {
        switch ending {
        case let .lingering(until, _): return until
        case .now, .closed: return nil
        case .no, .afterOutput, .afterOneWrite: break
        }
        var deadline = writeStalledSince.map { $0 + limits.writeTimeout }
        if answering == nil, ending == .no {
            let idleUntil = min(lastActivity + limits.idleTimeout, stoppingIdleUntil ?? .distantFuture)
            let own = requestStartedAt.map { $0 + limits.headerTimeout } ?? (output.isEmpty ? idleUntil : nil)
            if let own { deadline = deadline.map { min($0, own) } ?? own }
        }
        return deadline
    }

    /// Whether the connection is over.
    var isClosed: Bool { ending == .closed }
}

private extension ContinuousClock.Instant {
    /// Later than any deadline a connection has.
    static let distantFuture = ContinuousClock.now + .seconds(100 * 365 * 24 * 3600)
}
