import ArgumentParser
import Registry

struct Seed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the registry database from IANA's CSV, replacing the previous one only when complete.",
        discussion: """
            The new database is built beside the target and renamed into place once verified: a
            failed or interrupted seed leaves the previous database as it was. Ends with a one-line
            summary, and, over an existing database, how many records were added, removed and changed.
            """
    )

    @Option(help: ArgumentHelp("IANA's service-names-port-numbers.csv, or - for standard input.", valueName: "file|-"))
    var csv: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let input = try InputFile(path: csv)
        let report = try Seeder(targetPath: database.path).seed(from: input, source: csv)
        print(report.summary)
    }
}
