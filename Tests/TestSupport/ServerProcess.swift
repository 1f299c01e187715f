import Foundation

/// A real `portinfo serve` process on an ephemeral loopback port, stopped (SIGTERM) when released.
public final class ServerProcess {
    public let process = Process()
    public let port: Int
    private let output = Pipe()
    /// Everything the server printed up to and including its startup line.
    public let startupLog: String

    /// Starts `portinfo serve` with `arguments` (host and port are chosen here) and waits for its
    /// startup line, which names the port it listens on.
    public init(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil) throws {
        process.executableURL = productsDirectory.appendingPathComponent("portinfo")
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()

        var log = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            log += String(decoding: chunk, as: UTF8.self)
            if let port = Self.listeningPort(in: log) {
                self.port = port
                startupLog = log
                return
            }
        }
        process.terminate()
        throw ConnectError(description: "portinfo serve did not start: \(log)")
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// "… listening on 127.0.0.1 port 43123; …" -> 43123
    private static func listeningPort(in log: String) -> Int? {
        guard let range = log.range(of: " port ", range: log.range(of: "listening on ").map { $0.upperBound..<log.endIndex }) else {
            return nil
        }
        return Int(log[range.upperBound...].prefix { $0.isNumber })
    }

    public func client() throws -> RawClient {
        try RawClient(port: port)
    }

    /// One GET (or other method) on a new connection: the response.
    public func request(_ target: String, method: String = "GET", headers: [String: String] = [:]) throws -> ParsedResponse? {
        let client = try client()
        var request = "\(method) \(target) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        client.send(request + "\r\n")
        return client.readResponse(headOnly: method == "HEAD")
    }

    /// Sends `signal` and waits for the process to end: its exit status and what it printed after starting.
    public func stop(with signal: Int32 = SIGTERM) -> (status: Int32, log: String) {
        kill(process.processIdentifier, signal)
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: rest, as: UTF8.self))
    }
}
