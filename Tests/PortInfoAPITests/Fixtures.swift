import Foundation
import HTTPServer
import PortInfoAPI
import Registry
import Synchronization
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
