import ArgumentParser
import HostState
import Registry
import Glibc
import FoundationEssentials
import PortInfoReports

/// `--db PATH`, else `$PORTINFO_DB`, else `registry.db` in portinfo's XDG data folder
/// (`$XDG_DATA_HOME/portinfo`, `~/.local/share/portinfo` by default): a database any command
/// finds from any directory, and that each test can point elsewhere.
struct DatabaseOptions: ParsableArguments {
    @Option(.db) var explicitPath: String?

    var path: String { path(in: ProcessInfo.processInfo.environment) }

    func path(in environment: [String: String]) -> String {
        SettingReader(environment: environment).text(.db, explicitPath)
    }

    /// Whether the path is the default one, which commands may create; one that was asked for
    /// by name must exist.
    var isDefault: Bool { !SettingReader(environment: ProcessInfo.processInfo.environment).isGiven(.db, explicitPath) }

    /// The registry to answer from. At the default path, when there is no database yet, the
    /// snapshot built into the binary is seeded there first (said on standard error), or held
    /// in memory when the folder cannot be written: a new install answers at once, offline.
    func store() throws -> RegistryStore {
        guard isDefault, access(path, F_OK) != 0 else { return try RegistryStore(path: path) }
        if makeDefaultFolder(), let report = try? Seeder(targetPath: path).seed(.builtIn()) {
            note("no registry at \(path) yet: seeded the \(BuiltInSnapshot.sourceName) there "
                + "(`portinfo seed --csv FILE` takes IANA's latest); \(report.metadata.recordCount) records")
            return try RegistryStore(path: path)
        }
        note("no registry at \(path), and it cannot be written: answering from the \(BuiltInSnapshot.sourceName)")
        return try RegistryStore(image: Seeder.image(of: .builtIn()).0, statementBudget: nil)
    }

    /// This host's listeners joined with the registry, scanned afresh (a command runs once).
    func localHostReport() throws -> LocalHostReport {
        try LocalHostReport(store: store(), scanner: ListenerScanner(maxAge: .zero))
    }

    /// At the default path, creates the data folder and any of its parents missing; whether the
    /// database's folder now exists (a path asked for by name is taken as it is).
    func makeDefaultFolder() -> Bool {
        guard isDefault else { return true }
        var made = ""
        for part in path.split(separator: "/").dropLast() {
            made += "/" + part
            if mkdir(made, 0o755) != 0 && errno != EEXIST { return false }
        }
        return true
    }

    private func note(_ line: String) {
        let text = "portinfo: \(line)\n"
        text.withCString { _ = write(STDERR_FILENO, $0, strlen($0)) }
    }
}

extension Setting<String> {
    static var db: Self {
        .init("db", "The registry database.", valueName: "path", default: { dataFolder($0) + "/registry.db" },
              described: "portinfo/registry.db in $XDG_DATA_HOME, else in ~/.local/share")
    }

    /// portinfo's folder in the XDG base directory for user data.
    private static func dataFolder(_ environment: [String: String]) -> String {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/portinfo" }
        return (environment["HOME"].flatMap(\.nonEmpty) ?? "/") + "/.local/share/portinfo"
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
