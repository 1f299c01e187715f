/// Why a request got no answer, as an RFC 9457 problem (`application/problem+json`). Each kind
/// has a stable `type` URI under `https://portinfo.invalid/problems/` (a name, not a page: the
/// `.invalid` domain never resolves) and a fixed title; the detail says what to do.
struct Problem: Error {
    enum Kind: String, CaseIterable {
        case invalidPort = "invalid-port"
        case invalidParameter = "invalid-parameter"
        case invalidEncoding = "invalid-encoding"
        case unknownPath = "unknown-path"
        case unknownService = "unknown-service"
        case methodNotAllowed = "method-not-allowed"
        case registryUnavailable = "registry-unavailable"
        case localReportingOff = "local-reporting-off"
        case unauthorized = "unauthorized"
        case forbidden = "forbidden"
        case hostStateUnavailable = "host-state-unavailable"
        case serverBusy = "server-busy"
        case queryTimedOut = "query-timed-out"

        static let typePrefix = "https://portinfo.invalid/problems/"

        var type: String { Self.typePrefix + rawValue }

        var status: Int {
            switch self {
            case .invalidPort, .invalidParameter, .invalidEncoding: 400
            case .unauthorized: 401
            case .forbidden: 403
            case .unknownPath, .unknownService, .localReportingOff: 404
            case .methodNotAllowed: 405
            case .registryUnavailable, .hostStateUnavailable, .serverBusy, .queryTimedOut: 503
            }
        }

        var title: String {
            switch self {
            case .invalidPort: "Invalid port"
            case .invalidParameter: "Invalid parameter"
            case .invalidEncoding: "Invalid percent-encoding"
            case .unknownPath: "Unknown path"
            case .unknownService: "Unknown service"
            case .methodNotAllowed: "Method not allowed"
            case .registryUnavailable: "Registry unavailable"
            case .localReportingOff: "Local-host reporting is off"
            case .unauthorized: "Unauthorized"
            case .forbidden: "Forbidden"
            case .hostStateUnavailable: "Host state unavailable"
            case .serverBusy: "Server busy"
            case .queryTimedOut: "Query timed out"
            }
        }
    }

    let kind: Kind
    let detail: String

    init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }
}
