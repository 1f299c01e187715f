import ArgumentParser
import FoundationEssentials
import Glibc

/// For a container's HEALTHCHECK, where there is no curl: asks the running server's /healthz.
struct Healthcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exit 0 when the server on this host answers GET /healthz with 200, else 1 (for container health checks).")

    @Option(.port) var port: Int?

    @Option(help: "Seconds to wait for the answer.")
    var timeout = 3.0

    func run() throws {
        let port = try SettingReader(environment: ProcessInfo.processInfo.environment)(.port, port)
        let status = try Self.healthStatus(port: port, timeout: timeout)
        guard status == 200 else {
            throw Unhealthy(description: "GET http://127.0.0.1:\(port)/healthz answered \(status.map(String.init) ?? "nothing")")
        }
    }

    struct Unhealthy: Error, CustomStringConvertible {
        let description: String
    }

    /// The status line's code of GET /healthz on 127.0.0.1, or nil when no HTTP answer came.
    static func healthStatus(port: Int, timeout: Double) throws -> Int? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var interval = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return nil }
        let request = Array("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        guard send(descriptor, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { return nil }
        var reply = [UInt8](repeating: 0, count: 64)
        let count = recv(descriptor, &reply, reply.count, 0)
        // "HTTP/1.1 200 OK"
        guard count >= 12 else { return nil }
        return Int(String(decoding: reply[9..<12], as: UTF8.self))
    }
}
