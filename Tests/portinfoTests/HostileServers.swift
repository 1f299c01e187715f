import Testing
import TestSupport

/// The `portinfo serve` processes the hostile-client cases share: started once for the suite (a
/// process per case would cost more than all the cases), stopped when it ends.
struct HostileServers: Sendable {
    /// Which of the servers a case talks to.
    enum Choice: Sendable {
        /// The default limits and timeouts.
        case standard
        /// Short header and idle timeouts, for the cases about a client that is too slow.
        case shortTimeouts
    }

    /// The short-timeouts server's header timeout, in seconds: a request sent whole arrives well
    /// within it even on a busy machine, and a case waits for it in well under a second.
    static let shortHeaderTimeout = "0.5"
    /// The short-timeouts server's idle timeout, in seconds.
    static let shortIdleTimeout = "1"

    let standardPort: Int
    let shortTimeoutsPort: Int

    func port(of choice: Choice) -> Int {
        choice == .standard ? standardPort : shortTimeoutsPort
    }

    /// The servers of the suite being run, set by `.hostileServers`.
    @TaskLocal static var current: HostileServers?
}

/// Starts the hostile-client servers around a suite, on one database seeded from `trapsCSV`.
struct StartsHostileServers: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let folder = try seededFolder()
        let arguments = ["--db", folder.path("registry.db"), "--access-log", "off"]
        let standard = try ServerProcess(arguments)
        let shortTimeouts = try ServerProcess(arguments + ["--header-timeout", HostileServers.shortHeaderTimeout,
                                                            "--idle-timeout", HostileServers.shortIdleTimeout])
        let servers = HostileServers(standardPort: standard.port, shortTimeoutsPort: shortTimeouts.port)
        try await HostileServers.$current.withValue(servers) { try await function() }
        withExtendedLifetime((folder, standard, shortTimeouts)) {}
    }
}

extension Trait where Self == StartsHostileServers {
    /// Runs the suite against the shared hostile-client servers (`HostileServers.current`).
    static var hostileServers: Self { Self() }
}
