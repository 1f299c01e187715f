import ArgumentParser
import Dispatch
import Registry
import Glibc

struct Seed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the registry database from IANA's CSV (and a site's own ports), replacing the previous one only when complete.",
        discussion: """
            Without --csv it seeds the \(BuiltInSnapshot.sourceName). The new database is built \
            beside the target and renamed into place once verified: a failed or interrupted seed \
            leaves the previous database as it was. When the database was already seeded from the \
            same CSV and site file, nothing is done ("unchanged", exit 0), so a timer may run it \
            often. A seed ends with a one-line summary and, over an existing database, how many \
            records were added, removed and changed; then a line for each site record that claims a \
            port IANA assigns to another service.

            To take the latest registry:

              curl -fsSL -o FILE URL && portinfo seed --csv FILE --source URL

            where URL is \(IANARegistry.csvURL)
            """
    )

    @Option(help: ArgumentHelp("IANA's service-names-port-numbers.csv, or - for standard input (default: the built-in snapshot).",
                               valueName: "file|-"))
    var csv: String?

    @Option(help: ArgumentHelp("How /registry names the CSV's source, such as the URL it was fetched from (default: the file's name).",
                               valueName: "text"))
    var source: String?

    @Option(help: ArgumentHelp("A site's own port assignments: a CSV with IANA's column names (Service Name, Port Number, Transport Protocol and Description required).",
                               valueName: "file"))
    var sitePorts: String?

    @Flag(help: "Seed even when the database was already seeded from the same CSV and site file.")
    var force = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if source != nil && csv == nil { throw ValidationError("--source names the CSV given with --csv; the built-in snapshot names itself") }
    }

    func run() throws {
        // Before reading the input, which may block on a pipe for as long as its writer likes.
        let interruptHandlers = removeTemporaryFileOnInterrupt(
            Seeder.temporaryPath(forTarget: database.path, pid: getpid()))
        defer { interruptHandlers.forEach { $0.cancel() } }
        let sitePorts = try sitePorts.map(SitePortsFile.init(path:))
        let input = try csv.map { try SeedInput.file($0, source: source, sitePorts: sitePorts) } ?? .builtIn(sitePorts: sitePorts)
        _ = database.makeDefaultFolder()
        let report = try Seeder(targetPath: database.path).seed(input, force: force)
        print(report.summary)
        report.clashLines.forEach { print($0) }
    }

    /// On SIGINT or SIGTERM, removes the half-built database and exits 128 + the signal number.
    private func removeTemporaryFileOnInterrupt(_ temporaryPath: String) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                unlink(temporaryPath)
                _exit(128 + signalNumber)
            }
            source.resume()
            return source
        }
    }
}
