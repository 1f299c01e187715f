import Testing

/// One request a hostile (or merely odd) client may send, and what RFC 9110/9112 say the server
/// must answer and then do with the connection.
struct HostileCase: Sendable, CustomTestStringConvertible {
    /// What the case proves, as a sentence.
    let name: String
    let sending: Sending
    let expected: Expected
    let server: HostileServers.Choice

    var testDescription: String { name }

    init(_ name: String, sending: Sending, _ expected: Expected, on server: HostileServers.Choice = .standard) {
        self.name = name
        self.sending = sending
        self.expected = expected
        self.server = server
    }

    /// A case whose bytes are sent in one write.
    init(_ name: String, _ request: String, _ expected: Expected, on server: HostileServers.Choice = .standard) {
        self.init(name, sending: .whole(Array(request.utf8)), expected, on: server)
    }

    init(_ name: String, bytes: [UInt8], _ expected: Expected, on server: HostileServers.Choice = .standard) {
        self.init(name, sending: .whole(bytes), expected, on: server)
    }
}

/// How a case's bytes go out.
enum Sending: Sendable {
    /// In one write.
    case whole([UInt8])
    /// Each piece in its own segment, `pause` apart.
    case pieces([[UInt8]], pause: Duration)
    /// In one write, then the client's FIN: it will send nothing more.
    case thenFinish([UInt8])
    /// The head; the body only once the first answer (an interim 100 Continue, if the case
    /// expects one) has been read.
    case bodyAfterInterim(head: [UInt8], body: [UInt8])
}

/// What the server must do with a case.
struct Expected: Sendable {
    /// Whether the connection stays open after the last answer.
    enum Afterwards: Sendable {
        case keptAlive
        case closed
    }

    /// The answers, in order; none: the connection is closed with no answer.
    let answers: [Answer]
    let afterwards: Afterwards

    /// The registry's answer about port 600, on a connection kept alive.
    static let port600 = Expected(answers: [.port600], afterwards: .keptAlive)
    /// The registry's answer about port 600, then the connection closed.
    static let port600ThenClosed = Expected(answers: [.port600], afterwards: .closed)
    static let closedWithoutAnswer = Expected(answers: [], afterwards: .closed)

    /// Refused by the HTTP layer: a problem answer, then the connection closed (after a refusal
    /// the server can no longer tell where a next request would start). A case refused "at once"
    /// needs no clock: a server that waited for more would answer 408 at its header timeout.
    static func refused(_ status: Int, fields: [String: String] = [:]) -> Expected {
        Expected(answers: [.problem(status, fields: fields)], afterwards: .closed)
    }

    /// A well-framed request the API answers with a problem, on a connection kept alive.
    static func problem(_ status: Int, fields: [String: String] = [:]) -> Expected {
        Expected(answers: [.problem(status, fields: fields)], afterwards: .keptAlive)
    }
}

/// One answer a case expects.
struct Answer: Sendable {
    /// What the answer's body must be.
    enum Body: Sendable {
        /// The registry's records for port 600 (the two ipcserver rows of `trapsCSV`).
        case port600Records
        /// application/problem+json naming the answer's status and a detail.
        case problem
        case unchecked
    }

    let status: Int
    /// Fields the answer must carry, with these values.
    var fields: [String: String] = [:]
    var body: Body
    /// An interim `100 Continue` comes before it.
    var continueFirst = false

    static let port600 = Answer(status: 200, body: .port600Records)
    static let port600AfterContinue = Answer(status: 200, body: .port600Records, continueFirst: true)

    static func problem(_ status: Int, fields: [String: String] = [:]) -> Answer {
        Answer(status: status, fields: fields, body: .problem)
    }
}

extension HostileCase {
    /// Every case, by the part of a request each is about.
    static let all = framing + chunked + fieldSyntax + limits + targets + requestLines + connections
}
