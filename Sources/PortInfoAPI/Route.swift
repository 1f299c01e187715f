/// The API's paths. Matched on the path as sent, still percent-encoded, so that an encoded `/`
/// (`cl%2F1`) stays inside its segment; a route decodes its variable segment afterwards.
enum Route: Equatable {
    /// `/ports/{port}`, with the segment as sent (possibly empty).
    case port(Substring)
    /// `/services/{name}`, with the segment as sent (possibly empty).
    case service(Substring)
    case search
    case registry
    case health
    case openAPISpec
    case listeners
    case freePorts

    /// Whether the route reports this host's state rather than the registry.
    var isLocalHost: Bool { self == .listeners || self == .freePorts }

    /// What every route allows; any other method is answered 405.
    static let allowedMethods = "GET, HEAD, OPTIONS"

    init?(path: Substring) {
        if let segment = Self.segment(of: path, after: "/ports/") {
            self = .port(segment)
        } else if let segment = Self.segment(of: path, after: "/services/") {
            self = .service(segment)
        } else {
            switch path {
            case "/search": self = .search
            case "/registry": self = .registry
            case "/healthz": self = .health
            case "/openapi.yaml": self = .openAPISpec
            case "/listeners": self = .listeners
            case "/free-ports": self = .freePorts
            default: return nil
            }
        }
    }

    /// The rest of `path` after `prefix` when it is a single segment (no further `/`).
    private static func segment(of path: Substring, after prefix: StaticString) -> Substring? {
        let prefixBytes = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        guard path.utf8.starts(with: prefixBytes) else { return nil }
        let rest = path.utf8.dropFirst(prefixBytes.count)
        guard !rest.contains(UInt8(ascii: "/")) else { return nil }
        return path[rest.startIndex...]
    }
}
