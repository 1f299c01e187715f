/// The API's paths. Matched on the path as sent, still percent-encoded, so that an encoded `/`
/// (`cl%2F1`) stays inside its segment; a route decodes its variable segment afterwards.
enum Route: Equatable {
    /// `/ports/{port}`, with the segment as sent (possibly empty).
    case port(Substring)
    /// `/services/{name}`, with the segment as sent (possibly empty).
    case service(Substring)
    case search
    case registry
    case registryChanges
    case health
    case openAPISpec
    case metrics
    case listeners
    case freePorts
    /// `/`: the lookup page.
    case lookupPage
    case widget

    /// Whether the route reports this host's state rather than the registry.
    var isLocalHost: Bool { self == .listeners || self == .freePorts }

    /// Whether the route answers a browser with a page (and JSON to everyone else).
    var hasPages: Bool {
        switch self {
        case .port, .service, .search: true
        default: false
        }
    }

    /// What every route allows; any other method is answered 405.
    static let allowedMethods = "GET, HEAD, OPTIONS"

    init?(path: Substring) {
        var contiguous = path
        guard let template = contiguous.withUTF8({ Template(path: $0) }) else { return nil }
        switch template {
        case .port: self = .port(Self.rest(of: path, after: Template.portPrefix))
        case .service: self = .service(Self.rest(of: path, after: Template.servicePrefix))
        case .search: self = .search
        case .registry: self = .registry
        case .registryChanges: self = .registryChanges
        case .health: self = .health
        case .openAPISpec: self = .openAPISpec
        case .metrics: self = .metrics
        case .listeners: self = .listeners
        case .freePorts: self = .freePorts
        case .lookupPage: self = .lookupPage
        case .widget: self = .widget
        }
    }

    /// The route without its variable segment.
    var template: Template {
        switch self {
        case .port: .port
        case .service: .service
        case .search: .search
        case .registry: .registry
        case .registryChanges: .registryChanges
        case .health: .health
        case .openAPISpec: .openAPISpec
        case .metrics: .metrics
        case .listeners: .listeners
        case .freePorts: .freePorts
        case .lookupPage: .lookupPage
        case .widget: .widget
        }
    }

    /// `path` less its trailing slash, when that is a route's path (`/ports/600/`): where such a
    /// path is redirected, so that links and caches know one address. nil for any other path.
    static func routePath(withoutTrailingSlashOf path: Substring) -> Substring? {
        guard path.utf8.last == UInt8(ascii: "/") else { return nil }
        let trimmed = path.dropLast()
        return Route(path: trimmed) == nil ? nil : trimmed
    }

    private static func rest(of path: Substring, after prefix: StaticString) -> Substring {
        path[path.utf8.index(path.startIndex, offsetBy: prefix.utf8CodeUnitCount)...]
    }

    /// A route without its variable segment, named as openapi.yaml names its path.
    enum Template: String, CaseIterable {
        case port = "/ports/{port}"
        case service = "/services/{name}"
        case search = "/search"
        case registry = "/registry"
        case registryChanges = "/registry/changes"
        case health = "/healthz"
        case openAPISpec = "/openapi.yaml"
        case metrics = "/metrics"
        case listeners = "/listeners"
        case freePorts = "/free-ports"
        case lookupPage = "/"
        case widget = "/widget.js"

        static let portPrefix: StaticString = "/ports/"
        static let servicePrefix: StaticString = "/services/"

        /// The template `path` (its bytes, still percent-encoded) matches, if any. Matched on the
        /// bytes: comparing Substrings with strings would cost more than answering from memory.
        init?(path: UnsafeBufferPointer<UInt8>) {
            if Self.isSegment(path, after: Self.portPrefix) {
                self = .port
            } else if Self.isSegment(path, after: Self.servicePrefix) {
                self = .service
            } else if let fixed = Self.allCases.first(where: { $0.rawValue.utf8.count == path.count && $0.rawValue.utf8.elementsEqual(path) }) {
                self = fixed
            } else {
                return nil
            }
        }

        /// Whether `path` is `prefix` and then a single segment (no further `/`).
        private static func isSegment(_ path: UnsafeBufferPointer<UInt8>, after prefix: StaticString) -> Bool {
            let prefixBytes = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
            return path.starts(with: prefixBytes) && !path[prefixBytes.count...].contains(UInt8(ascii: "/"))
        }
    }
}
