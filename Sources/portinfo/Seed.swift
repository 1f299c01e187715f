import ArgumentParser
import Dispatch
import Registry
import Glibc

struct Seed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the registry database from IANA's CSV, replacing the previous one only when complete.",
        discussion: """
            The new database is built beside the target and renamed into place once verified: \
            a failed or interrupted seed leaves the previous database as it was. A seed ends with \
            a one-line summary and, over an existing database, how many records were added, \
            removed and changed.

            To take the latest registry: curl -fsSL URL | portinfo seed --csv -
            where URL is \(ianaCSVURL)
            """
    )

    @Option(help: ArgumentHelp("IANA's service-names-port-numbers.csv, or - for standard input.", valueName: "file|-"))
    var csv: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let input = try InputFile(path: csv)
        let interruptHandlers = removeTemporaryFileOnInterrupt(
            Seeder.temporaryPath(forTarget: database.path, pid: getpid()))
        defer { interruptHandlers.forEach { $0.cancel() } }
        let report = try Seeder(targetPath: database.path).seed(from: input, source: csv)
        print(report.summary)
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
