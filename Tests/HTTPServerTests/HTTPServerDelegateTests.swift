import Synchronization
import Testing
import TestSupport
@testable import HTTPServer

/// What the server tells its delegate: it asks it to word every refusal, and tells it of every
/// response and connection once.
@Suite struct HTTPServerDelegateTests {
    @Test func theDelegateWordsEveryRefusalAndHearsOfEveryResponseAndConnectionOnce() throws {
        var limits = HTTPLimits()
        limits.maxConnections = 1
        let server = try TestServer(limits: limits)
        let client = try server.client()
        client.send(get("/observed?x"))
        #expect(client.readResponse()?.status == 200)
        let turnedAway = try #require(try server.client().readResponse())
        #expect(turnedAway.status == 503 && turnedAway.header("X-Refused-By") == "the delegate" && turnedAway.header("Retry-After") == "1")
        client.send("GET / HTTP/1.1\r\n\r\n") // no Host: the server refuses it
        let refused = try #require(client.readResponse())
        #expect(refused.status == 400 && refused.header("X-Refused-By") == "the delegate")
        #expect(client.isClosedByServer())
        let expected = ["opened", "sent 200 for GET /observed?x", "rejected", "sent 400 refused", "closed"]
        #expect(waitUntil { server.delegate.events == expected }, "\(server.delegate.events)")
    }
}

/// Words refusals as problem+json saying who wrote them, and keeps what the server tells it, in order.
final class RecordingDelegate: HTTPServerDelegate {
    private let recorded = Mutex<[String]>([])

    var events: [String] { recorded.withLock { $0 } }

    func refusal(status: Int, detail: String, retryAfterSeconds: Int?) -> HTTPResponse {
        var response = Self.problem(HTTPParseError(status: status, detail: detail))
        if let retryAfterSeconds { response.headers.add("Retry-After", String(retryAfterSeconds)) }
        return response
    }

    /// A refusal, as a ConnectionLifecycle takes its refusals.
    static let problem: @Sendable (HTTPParseError) -> HTTPResponse = { failure in
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/problem+json")
        headers.add("X-Refused-By", "the delegate")
        let detail = failure.detail.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let body = #"{"type":"about:blank","status":\#(failure.status),"detail":"\#(detail)"}"#
        return HTTPResponse(status: failure.status, headers: headers, body: Array(body.utf8))
    }

    func sent(_ response: HTTPResponse, for exchange: HTTPExchange, to client: String, after duration: Duration) {
        let what = switch exchange {
        case let .answered(request): "for \(request.method) \(request.target)"
        case .refused: "refused"
        }
        recorded.withLock { $0.append("sent \(response.status) \(what)") }
    }

    func connectionOpened() { recorded.withLock { $0.append("opened") } }
    func connectionClosed() { recorded.withLock { $0.append("closed") } }
    func connectionRejected() { recorded.withLock { $0.append("rejected") } }
}
