import ArgumentParser
import HostState
import PortInfoAPI
import Registry
import Glibc
import FoundationEssentials

/// `--db PATH`, else `$PORTINFO_DB`, else `portinfo.db` in the current directory.
struct DatabaseOptions: ParsableArguments {
    static let defaultPath = "portinfo.db"

    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The registry database (default: $PORTINFO_DB, else ./\(defaultPath)).", valueName: "path"))
    var explicitPath: String?

    var path: String {
        if let explicitPath { return explicitPath }
        if let fromEnvironment = ProcessInfo.processInfo.environment["PORTINFO_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return Self.defaultPath
    }

    /// This host's listeners joined with this registry, scanned afresh (a command runs once).
    func localHostReport() throws -> LocalHostReport {
        try LocalHostReport(store: RegistryStore(path: path), scanner: ListenerScanner(maxAge: .zero))
    }
}

/// `--json`: print the API's JSON instead of a table.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON (the HTTP API's answer, indented) instead of a table.")
    var json = false

    /// Writes a body from APIJSON as it is: it ends in its own newline.
    func printJSON(_ body: [UInt8]) {
        body.withUnsafeBytes { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }
}
