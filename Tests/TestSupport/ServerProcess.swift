import Foundation
import Synchronization

/// A real `portinfo serve` process on an ephemeral loopback port, stopped (SIGTERM) when released.
/// What it prints after starting is read as it comes, so a chatty server never blocks on a full pipe.
public final class ServerProcess {
    public let process = Process()
    public let port: Int
    private let output = Pipe()
    /// Everything the server printed up to and including its startup line.
    public let startupLog: String
    private let laterOutput = OutputCollector()
    /// Its XDG_DATA_HOME, where a default database would be.
    public let dataHome = TemporaryDirectory()

    /// Starts `portinfo serve` with `arguments` (host and port are chosen here) and waits for its
    /// startup line, which names the port it listens on. `descriptorLimit` sets both its soft and
    /// hard limits on open files (serve lifts the soft one to the hard one), through prlimit(1);
    /// `cpus` (a list such as "0" or "0-1") the processors it may run on, through taskset(1);
    /// `unprivileged` runs it as nobody when the tests run as root (setpriv(1)), so that file
    /// permissions hold for it.
    public init(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil,
                descriptorLimit: Int? = nil, cpus: String? = nil, unprivileged: Bool = false) throws {
        var command: [String] = []
        if unprivileged && getuid() == 0 { command += ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] }
        if let descriptorLimit { command += ["/usr/bin/prlimit", "--nofile=\(descriptorLimit):\(descriptorLimit)", "--"] }
        if let cpus { command += ["/usr/bin/taskset", "--cpu-list", cpus] }
        command += [productsDirectory.appendingPathComponent("portinfo").path, "serve", "--host", "127.0.0.1", "--port", "0"] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = isolatedEnvironment(dataHome: dataHome, environment)
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()

        // Reading blocks: a server that has not said where it listens within the bound is stopped,
        // which ends its output and the reading.
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.startupBound, execute: watchdog)
        defer { watchdog.cancel() }
        var log = ""
        while true {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            log += String(decoding: chunk, as: UTF8.self)
            if let port = Self.listeningPort(in: log) {
                self.port = port
                startupLog = log
                laterOutput.collect(from: output.fileHandleForReading)
                return
            }
        }
        process.terminate()
        throw ConnectError(description: "portinfo serve did not start: \(log)")
    }

    /// Seconds a server has to print its startup line: a defect's bound, generous beside the
    /// milliseconds a start takes, so that load never reaches it.
    static let startupBound = 20.0

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// "… listening on 127.0.0.1 port 43123 with 2 I/O threads; …" -> 43123
    private static func listeningPort(in log: String) -> Int? {
        guard let range = log.range(of: " port ", range: log.range(of: "listening on ").map { $0.upperBound..<log.endIndex }) else {
            return nil
        }
        return Int(log[range.upperBound...].prefix { $0.isNumber })
    }

    public func client() throws -> RawClient {
        try RawClient(port: port)
    }

    /// Sends `signal` and waits for the process to end: its exit status and what it printed after starting.
    public func stop(with signal: Int32 = SIGTERM) -> (status: Int32, log: String) {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: laterOutput.untilEnd(), as: UTF8.self))
    }

    /// Lines printed since the startup line, so far.
    public var linesLoggedSinceStart: Int { laterOutput.lines }

    /// What it printed since the startup line, so far.
    public var loggedSinceStart: String { String(decoding: laterOutput.soFar, as: UTF8.self) }

    /// Its resident memory now, from /proc/PID/status.
    public var residentMemoryBytes: Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return (line.flatMap { Int($0.split(separator: " ")[1]) } ?? 0) * 1024
    }

    /// User and system CPU time it has used so far, from /proc/PID/stat.
    public var cpuSeconds: Double {
        let stat = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)) ?? ""
        // After the command name in parentheses: state is field 3, utime 14 and stime 15.
        guard let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// What a process prints, read on a thread of its own until the end: the bytes and their lines.
private final class OutputCollector: Sendable {
    private struct Collected {
        var data = Data()
        var lines = 0
    }

    private let collected = Mutex(Collected())
    private let finished = DispatchSemaphore(value: 0)

    func collect(from handle: FileHandle) {
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                collected.withLock {
                    $0.data.append(chunk)
                    $0.lines += chunk.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                }
            }
            finished.signal()
        }.start()
    }

    var lines: Int { collected.withLock { $0.lines } }

    var soFar: Data { collected.withLock { $0.data } }

    /// Everything, once the output has ended.
    func untilEnd() -> Data {
        finished.wait()
        finished.signal()
        return soFar
    }
}
