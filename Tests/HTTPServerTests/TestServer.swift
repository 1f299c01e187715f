import Foundation
import Logging
import TestSupport
@testable import HTTPServer

/// Answers with what it was asked: `METHOD TARGET`, then each header field on a line.
let echo: @Sendable (HTTPRequest) -> HTTPResponse = { request in
    var body = "\(request.method) \(request.target)\n"
    for (name, value) in request.headers { body += "\(name): \(value)\n" }
    var headers = HTTPHeaders()
    headers.add("Content-Type", "text/plain")
    return HTTPResponse(status: 200, headers: headers, body: Array(body.utf8))
}

/// A real server on an ephemeral loopback port, shut down when released.
final class TestServer {
    let server: HTTPServer
    let delegate = RecordingDelegate()
    var port: Int { server.port }

    convenience init(limits: HTTPLimits = HTTPLimits(), host: String = "127.0.0.1",
                     handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse = echo) throws {
        try self.init(limits: limits, host: host, answering: { request, _ in handler(request) })
    }

    /// With a handler that may answer later, through its responder.
    init(limits: HTTPLimits = HTTPLimits(), host: String = "127.0.0.1", workerThreads: Int = 2,
         answering handler: @escaping HTTPHandler) throws {
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = 0
        configuration.limits = limits
        configuration.workerThreads = workerThreads
        server = try HTTPServer(configuration: configuration, logger: Logger(label: "test"), delegate: delegate, handler: handler)
        try server.start()
    }

    deinit {
        server.shutDown()
    }

    func client() throws -> RawClient {
        try RawClient(port: port)
    }
}

func get(_ target: String = "/", extra: String = "") -> String {
    "GET \(target) HTTP/1.1\r\nHost: example.test\r\n\(extra)\r\n"
}
