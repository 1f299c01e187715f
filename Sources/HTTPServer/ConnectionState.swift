/// Where a connection is in its life, as one value: each phase carries what matters in it and
/// nothing else, so that no impossible combination (a request arriving while another is being
/// answered, a write stall with nothing to write, a refusal waiting on a connection that is not
/// ending) can be represented. ConnectionLifecycle moves it from phase to phase.
///
/// Serving: `waiting` -> `receiving` -> `answering` -> `waiting` ..., one request at a time.
/// Ending: `finishing` (the output is written) -> `lingering` (the client reads its answers
/// rather than a reset) -> `closing` -> `closed`; a request too slow to arrive goes `timedOut`
/// -> `lastWrite` -> `closing`; a failed socket, a forced close or a client that takes no output
/// goes straight to `closing`.
enum ConnectionState {
    /// Between requests: nothing of the next one has arrived. The connection has been idle since
    /// `since` (it opened, or its output was last written whole), and ends at the idle timeout.
    case waiting(since: Moment, Serving)
    /// A request is arriving, since `since`: it must be whole within the header timeout, however
    /// its bytes trickle in.
    case receiving(since: Moment, Serving)
    /// The application is answering a request; nothing more is parsed until it has.
    case answering(Answering, Serving)
    /// The server ends the connection once its output is written: then `lingering` when
    /// `linger` (the client may still be sending, since the server chose to end), else `closing`.
    case finishing(linger: Bool, OutputFlow)
    /// A request did not arrive whole in time: its 408 is to be queued and reported.
    case timedOut
    /// One write of what is queued, then close: the client was too slow to wait for.
    case lastWrite
    /// Writing is shut down; what arrives is dropped until the client's end or `until`.
    case lingering(until: Moment)
    /// Close now.
    case closing
    /// Closed: the connection has left its worker. Only a late answer may still come.
    case closed

    /// What the serving phases share.
    struct Serving {
        var output: OutputFlow
        /// The client has sent all it will: what has arrived is answered, then the connection ends.
        var inputEnded: Bool
        /// The server is stopping: the answer that leaves nothing more to answer says
        /// `Connection: close`, and a waiting connection ends at this moment (a request may
        /// already be on its way until then).
        var stoppingAt: Moment?
    }

    /// Whether the socket takes the output waiting for it.
    enum OutputFlow {
        /// It took all it was given, or nothing was given yet.
        case flowing
        /// It stopped taking output at `since`: wait until it says it has room.
        case blocked(since: Moment)
        /// It said it has room again: write. `since` stays the moment it stopped until it takes
        /// some, so that a socket that only says so cannot put off the write timeout.
        case unblocked(since: Moment)

        /// When the socket stopped taking output, while output waits.
        var stalledSince: Moment? {
            switch self {
            case .flowing: nil
            case let .blocked(since), let .unblocked(since): since
            }
        }

        var isBlocked: Bool {
            if case .blocked = self { return true }
            return false
        }
    }

    /// The request the application is answering.
    struct Answering {
        let request: HTTPRequest
        /// Which of the connection's requests it is, counting from 1: its responder names it.
        let number: UInt64
        let handedOutAt: Moment
        let keepAlive: Bool
    }

    /// What the serving phases share; nil in the others. Set only in a serving phase.
    var serving: Serving? {
        get {
            switch self {
            case let .waiting(_, serving), let .receiving(_, serving), let .answering(_, serving): serving
            case .finishing, .timedOut, .lastWrite, .lingering, .closing, .closed: nil
            }
        }
        set {
            guard let newValue else { preconditionFailure("a serving phase keeps what the serving phases share") }
            switch self {
            case let .waiting(since, _): self = .waiting(since: since, newValue)
            case let .receiving(since, _): self = .receiving(since: since, newValue)
            case let .answering(answering, _): self = .answering(answering, newValue)
            case .finishing, .timedOut, .lastWrite, .lingering, .closing, .closed:
                preconditionFailure("only a serving phase keeps what the serving phases share")
            }
        }
    }

    /// How the socket takes the output, in the phases that write as the socket takes it; nil in
    /// the others. Set only in such a phase.
    var output: OutputFlow? {
        get {
            if case let .finishing(_, output) = self { return output }
            return serving?.output
        }
        set {
            guard let newValue else { preconditionFailure("a writing phase keeps its output flow") }
            switch self {
            case let .finishing(linger, _): self = .finishing(linger: linger, newValue)
            case .waiting, .receiving, .answering: serving?.output = newValue
            case .timedOut, .lastWrite, .lingering, .closing, .closed:
                preconditionFailure("only a phase that writes as the socket takes it has an output flow")
            }
        }
    }
}
