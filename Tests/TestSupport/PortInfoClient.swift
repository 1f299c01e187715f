import Foundation

/// Asks portinfo's HTTP API wherever it runs: the API called in this process (PortInfoAPITests'
/// `InProcessAPI`) or a live `portinfo serve` (`ServerProcess`). A test body written against it
/// runs against both, so that the same assertions cover the handlers alone and the whole server
/// around them (its options, the HTTP layer, the sockets).
///
/// Both ask as a client on this host's loopback does: from 127.0.0.1, with `Host: localhost`
/// unless the test names another Host, one request a connection.
public protocol PortInfoClient {
    /// The answer to `method` `target` with these header fields.
    func response(to target: String, method: String, headers: [(String, String)]) throws -> ParsedResponse
}

extension PortInfoClient {
    public func get(_ target: String, method: String = "GET", headers: [(String, String)] = []) throws -> ParsedResponse {
        try response(to: target, method: method, headers: headers)
    }
}

/// The header fields a loopback client sends: `Host: localhost` first unless `headers` name a Host.
public func withLoopbackHost(_ headers: [(String, String)]) -> [(String, String)] {
    headers.contains { $0.0.lowercased() == "host" } ? headers : [("Host", "localhost")] + headers
}

extension ServerProcess: PortInfoClient {
    public func response(to target: String, method: String, headers: [(String, String)]) throws -> ParsedResponse {
        let client = try client()
        let fields = withLoopbackHost(headers).map { "\($0.0): \($0.1)\r\n" }.joined()
        client.send("\(method) \(target) HTTP/1.1\r\n\(fields)Connection: close\r\n\r\n")
        guard let response = client.readResponse(headOnly: method == "HEAD") else {
            throw ConnectError(description: "no answer to \(method) \(target) from the server on port \(port)")
        }
        return response
    }
}
