import PortInfoReports

/// What a route answers, before the finishing stage adds what depends on the kind of answer
/// rather than on the route: CORS fields, caching fields, `Vary`. No route sets those itself.
struct Answer: Sendable {
    /// How caches may keep the answer.
    enum Caching: Sendable, Equatable {
        /// A registry answer in this format: its ETag, `max-age`, and a 304 for a matching
        /// If-None-Match. `sharedCaches` false makes it `private`: something no field names (the
        /// client's address) decided it, so a shared cache must not hand it to another client.
        case registry(Representation, sharedCaches: Bool)
        /// `/registry`: a registry answer whose body has a tag of its own.
        case registryDescription(APIJSON.Format)
        /// `/registry/changes`: a registry answer tagged by the changes it lists too.
        case registryChanges(APIJSON.Format)
        /// A file of the binary's (`/widget.js`): its tag, `max-age`, and a 304 for a match.
        case asset(EntityTag)
        /// About this moment, or about this request: `no-store`.
        case noStore
        /// Nothing said: caches follow HTTP's defaults for the status.
        case unstated
    }

    /// Whose CORS policy the answer follows.
    enum Audience: Sendable, Equatable {
        /// `--cors-origins`: the registry's answers and the server's own.
        case registry
        /// `--local-cors-origins`: answers about this host (and every answer of its routes).
        case hostState
    }

    /// Request fields whose values decided the answer, for `Vary`.
    struct Consulted: OptionSet, Sendable {
        let rawValue: UInt8
        static let origin = Consulted(rawValue: 1)
        static let authorization = Consulted(rawValue: 2)
        /// HTML or JSON as Accept asks: set where Accept is read (Representation), never by hand.
        static let accept = Consulted(rawValue: 4)

        /// The `Vary` value naming them; nil for none.
        var varyValue: String? {
            let names = [(Self.accept, "Accept"), (.origin, "Origin"), (.authorization, "Authorization")]
                .filter { contains($0.0) }.map(\.1)
            return names.isEmpty ? nil : names.joined(separator: ", ")
        }
    }

    /// What an answer's headers depend on beside its route: whose CORS policy, which request fields.
    struct Context: Sendable {
        var audience = Audience.registry
        var consulted: Consulted = []
    }

    var status: Int
    /// nil for answers without a body (204, 301).
    var contentType: String?
    var body: [UInt8] = []
    /// Fields of the route's own: Location, Allow, WWW-Authenticate, Retry-After, preflight fields.
    var fields: [(name: String, value: String)] = []
    var caching: Caching
    var context: Context
    /// For an answer the same for everyone asking the same way (a `/ports` answer without
    /// listeners, to a request without Origin or If-None-Match): the key the finishing stage
    /// keeps it finished under, and hands it out by next time.
    var keptFinishedAs: PortAnswerCache.Key?

    static let htmlContentType = "text/html; charset=utf-8"
    static let javaScriptContentType = "text/javascript; charset=utf-8"

    static func json(_ body: [UInt8], caching: Caching, context: Context) -> Answer {
        Answer(status: 200, contentType: "application/json", body: body, caching: caching, context: context)
    }

    static func html(_ body: [UInt8], caching: Caching, context: Context) -> Answer {
        Answer(status: 200, contentType: htmlContentType, body: body, caching: caching, context: context)
    }

    /// A 200 in `representation`: JSON or a page.
    static func registry(_ body: [UInt8], _ representation: Representation, caching: Caching, context: Context) -> Answer {
        representation == .html ? html(body, caching: caching, context: context) : json(body, caching: caching, context: context)
    }
}
