import HTTPServer
import PortInfoReports

/// One of the API's routes: its path as openapi.yaml names it, the methods it answers, how it
/// answers, whether it reports this host's state, and its handler. `RouteTable` lists them all.
/// A class: every request takes its route, and a reference is one retain where a copy of the
/// fields would be five.
final class Route: Sendable {
    /// How a route's answers are written.
    enum Answers: Sendable {
        /// JSON (compact, or indented with `?pretty`).
        case json
        /// A page for a browser, JSON for everyone else, as `?format` or Accept ask (Vary: Accept).
        case jsonOrPage
        /// A page, for anyone; what it refuses is a page only for a browser.
        case page
        /// A file of its own type (YAML, JavaScript, Prometheus text).
        case file
    }

    /// Works out a request's answer: at once, or as a query for a query thread. Reads the request,
    /// and tells the finishing stage what decided the answer (`request.context`).
    typealias Handler = @Sendable (PortInfoAPI, inout RouteRequest) throws(Problem) -> Reply

    /// What a route says of this host's state, with local-host reporting on.
    enum HostState: Sendable {
        case none
        /// Only the host's state (`/listeners`): every answer follows the local-host CORS policy,
        /// refusals included, and a preflight lets a page send the token.
        case only
        /// The registry, and the host's state beside it for a client that may see it (`/ports`):
        /// a preflight lets a page send the token, and follows the local-host policy for its origins.
        case beside
    }

    /// `/ports/{port}`: one variable segment at most, at the end.
    let path: String
    let methods: [String]
    let answers: Answers
    let hostState: HostState
    let handler: Handler

    /// The path's bytes before its variable segment, when it has one; else the whole path.
    private let fixedPart: [UInt8]
    private let hasVariable: Bool

    init(_ path: String, answers: Answers, hostState: HostState = .none, methods: [String] = ["GET", "HEAD"],
         _ handler: @escaping Handler) {
        self.path = path
        self.methods = methods
        self.answers = answers
        self.hostState = hostState
        self.handler = handler
        hasVariable = path.hasSuffix("}")
        fixedPart = Array(hasVariable ? path.utf8.prefix { $0 != UInt8(ascii: "{") } : path.utf8[...])
    }

    /// `Allow`: the route's methods, and OPTIONS, which every route answers (CORS preflight).
    var allowedMethods: String { (methods + ["OPTIONS"]).joined(separator: ", ") }

    /// Where the variable segment starts in `path`'s bytes (its end for a fixed path) when `path`
    /// is this route's; nil otherwise. Compared as bytes: comparing Substrings with Strings would
    /// cost more than answering from memory.
    func variableStart(in path: UnsafeBufferPointer<UInt8>) -> Int? {
        guard hasVariable else { return path.elementsEqual(fixedPart) ? path.count : nil }
        guard path.starts(with: fixedPart), !path[fixedPart.count...].contains(UInt8(ascii: "/")) else { return nil }
        return fixedPart.count
    }
}

/// A route's answer: at hand, or to be worked out on a query thread (it touches SQLite or /proc).
enum Reply {
    case now(Answer)
    case query(@Sendable () throws(Problem) -> Answer)
}

/// One request on its way through its route: what the handler reads, and what it tells the
/// finishing stage of how the answer came about.
struct RouteRequest {
    let http: HTTPRequest
    /// The route's variable segment as sent, still percent-encoded; "" for a fixed path.
    let segment: Substring
    let query: QueryParameters
    /// The registry the request is answered from, taken once as it began.
    let generation: RegistryGeneration
    /// How the answer is written.
    var representation: Representation
    /// Whose CORS policy it follows, and the request fields that decided it (for `Vary`).
    var context: Answer.Context

    /// The JSON format asked for (`?pretty`), for routes that answer only JSON.
    var format: APIJSON.Format { representation.jsonFormat }
}
