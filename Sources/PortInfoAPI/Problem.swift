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
        // What the HTTP layer refuses before any route sees a request.
        case malformedRequest = "malformed-request"
        case requestTimeout = "request-timeout"
        case contentTooLarge = "content-too-large"
        case targetTooLong = "target-too-long"
        case expectationFailed = "expectation-failed"
        case headersTooLarge = "headers-too-large"
        case notImplemented = "not-implemented"
        case versionNotSupported = "version-not-supported"

        static let typePrefix = "https://portinfo.invalid/problems/"

        var type: String { Self.typePrefix + rawValue }

        var status: Int {
            switch self {
            case .invalidPort, .invalidParameter, .invalidEncoding, .malformedRequest: 400
            case .unauthorized: 401
            case .forbidden: 403
            case .unknownPath, .unknownService, .localReportingOff: 404
            case .methodNotAllowed: 405
            case .requestTimeout: 408
            case .contentTooLarge: 413
            case .targetTooLong: 414
            case .expectationFailed: 417
            case .headersTooLarge: 431
            case .notImplemented: 501
            case .registryUnavailable, .hostStateUnavailable, .serverBusy, .queryTimedOut: 503
            case .versionNotSupported: 505
            }
        }

        /// The kind of what the HTTP layer refused with `status`.
        init(refusedWith status: Int) {
            self = switch status {
            case 408: .requestTimeout
            case 413: .contentTooLarge
            case 414: .targetTooLong
            case 417: .expectationFailed
            case 431: .headersTooLarge
            case 501: .notImplemented
            case 503: .serverBusy
            case 505: .versionNotSupported
            default: .malformedRequest
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
            case .malformedRequest: "Malformed request"
            case .requestTimeout: "Request timeout"
            case .contentTooLarge: "Content too large"
            case .targetTooLong: "Target too long"
            case .expectationFailed: "Expectation failed"
            case .headersTooLarge: "Header fields too large"
            case .notImplemented: "Not implemented"
            case .versionNotSupported: "HTTP version not supported"
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
