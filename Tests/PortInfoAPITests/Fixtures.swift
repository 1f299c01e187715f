import Foundation
import HTTPServer
import PortInfoAPI
import Registry
import Synchronization
import Testing
import TestSupport

/// Seeds `csv` into a new database `name` in `folder` and returns its path.
@discardableResult
func seededDatabase(_ csv: String, in folder: TemporaryDirectory, name: String = "registry.db") throws -> String {
    let file = folder.write("input-\(UUID().uuidString).csv", csv)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let database = folder.path(name)
    _ = try Seeder(targetPath: database).seed(.file(file))
    return database
}

/// An API over the traps fixture, with the folder that holds its database (keep it alive).
func trapsAPI(allowedOrigins: [String] = ["*"], cacheMaxAge: Int = 3600) throws -> (PortInfoAPI, TemporaryDirectory) {
    let folder = TemporaryDirectory()
    let database = try seededDatabase(trapsCSV, in: folder)
    let api = try PortInfoAPI(configuration: APIConfiguration(
        databasePath: database, allowedOrigins: allowedOrigins, cacheMaxAge: cacheMaxAge))
    return (api, folder)
}

func request(_ target: String, method: String = "GET", headers: [(name: String, value: String)] = []) -> HTTPRequest {
    HTTPRequest(method: method, target: target, version: .http1_1, headers: HTTPHeaders(headers), remoteAddress: "192.0.2.1")
}

extension PortInfoAPI {
    /// The answer to `request`, waiting for it when the API answers later, and told to the
    /// server delegate as a server would tell it.
    func handle(_ request: HTTPRequest) -> HTTPResponse {
        let sink = WaitingSink()
        let response = handle(request, HTTPResponder(sink: sink, request: 1)) ?? sink.wait()
        serverDelegate.sent(response, for: .answered(request), to: request.remoteAddress, after: .zero)
        return response
    }

    func get(_ target: String, method: String = "GET", headers: [(name: String, value: String)] = []) -> HTTPResponse {
        handle(request(target, method: method, headers: headers))
    }
}

/// The API in this process as a `PortInfoClient`: asked as a live server's loopback client asks
/// (from 127.0.0.1, `Host: localhost` unless the test names another), each answer told to the
/// server delegate as the server tells it, and a HEAD's body dropped as the server drops it.
struct InProcessAPI: PortInfoClient {
    let api: PortInfoAPI

    func response(to target: String, method: String, headers: [(String, String)]) -> ParsedResponse {
        let answer = api.handle(HTTPRequest(method: method, target: target, version: .http1_1,
                                            headers: HTTPHeaders(withLoopbackHost(headers).map { (name: $0.0, value: $0.1) }),
                                            remoteAddress: "127.0.0.1"))
        return ParsedResponse(status: answer.status, headers: answer.headers.fields.map { ($0.name, $0.value) },
                              body: method == "HEAD" ? "" : String(decoding: answer.body, as: UTF8.self))
    }
}

/// Where a shared test body's API runs: called in this process, or behind a live `portinfo serve`.
enum Serving: CaseIterable, Sendable {
    case inProcess, liveServer

    /// A client of an API over `database`, set up as `setup` says (a live server runs until the
    /// client is released).
    func client(database: String, _ setup: APISetup = APISetup()) throws -> any PortInfoClient {
        switch self {
        case .inProcess: InProcessAPI(api: try PortInfoAPI(configuration: setup.configuration(database: database)))
        case .liveServer: try ServerProcess(["--db", database, "--access-log", "off"] + setup.serveOptions)
        }
    }

    /// A client of an API over the traps fixture, with the folder that holds its database (keep it alive).
    func trapsClient(_ setup: APISetup = APISetup()) throws -> (any PortInfoClient, TemporaryDirectory) {
        let folder = TemporaryDirectory()
        return (try client(database: try seededDatabase(trapsCSV, in: folder), setup), folder)
    }
}

/// The settings the shared test bodies vary, said once and made both an `APIConfiguration` (in
/// process) and `portinfo serve` options (live), so that both ways of serving are set up alike.
struct APISetup {
    var allowedOrigins = ["*"]
    /// Local-host reporting; off when nil.
    var localReporting: LocalReporting?
    var queryTimeBudget: Duration?

    func configuration(database: String) -> APIConfiguration {
        var configuration = APIConfiguration(databasePath: database, allowedOrigins: allowedOrigins, localReporting: localReporting)
        if let queryTimeBudget { configuration.queryTimeBudget = queryTimeBudget }
        return configuration
    }

    var serveOptions: [String] {
        var options = ["--cors-origins", allowedOrigins.joined(separator: ",")]
        if let queryTimeBudget { options += ["--query-time-budget", Self.seconds(queryTimeBudget)] }
        guard let local = localReporting else { return options }
        options += ["--report-local", "--scan-max-age", Self.seconds(local.scanMaxAge)]
        if let token = local.token { options += ["--local-token", token] }
        for (option, values) in [("--local-allow", local.allowedNetworks.map(\.description)), ("--local-cors-origins", local.allowedOrigins),
                                 ("--local-hosts", local.allowedHostNames)] where !values.isEmpty {
            options += [option, values.joined(separator: ",")]
        }
        return options
    }

    private static func seconds(_ duration: Duration) -> String {
        String(duration / .seconds(1))
    }
}

/// Takes one delayed answer and hands it to whoever waits for it.
final class WaitingSink: HTTPResponseSink {
    private let delivered = DispatchSemaphore(value: 0)
    private let response = Mutex<HTTPResponse?>(nil)

    func deliver(_ response: HTTPResponse, forRequest request: UInt64) {
        self.response.withLock { $0 = response }
        delivered.signal()
    }

    func wait() -> HTTPResponse {
        delivered.wait()
        return response.withLock { $0! }
    }
}

/// Expects `response` to be the RFC 9457 problem `status` of `type` (the last segment of its type
/// URI), saying `detail`.
func expectProblem(_ response: HTTPResponse, _ status: Int, _ type: String, _ detail: String,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == status, sourceLocation: sourceLocation)
    #expect(response.headers["Content-Type"] == "application/problem+json", sourceLocation: sourceLocation)
    #expect(response.problemType == "https://portinfo.invalid/problems/\(type)", sourceLocation: sourceLocation)
    #expect(response.detail == detail, sourceLocation: sourceLocation)
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object (fails the test's #require when it is not one).
    var object: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])) as? [String: Any]
    }

    var records: [[String: Any]] { (object?["records"] ?? object?["results"]) as? [[String: Any]] ?? [] }

    /// The `detail` of a problem+json body.
    var detail: String? { object?["detail"] as? String }

    var problemType: String? { object?["type"] as? String }

    /// Header field names, in order.
    var fieldNames: [String] { headers.fields.map(\.name) }
}
