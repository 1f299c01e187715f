import ArgumentParser
import PortInfoReports
import Registry

struct Service: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The records registered under a service name (case-insensitive; aliases such as whois++ are names of their own).")

    @Argument(help: "A service name, e.g. http, whois++ or sql*net.")
    var name: String

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let records = try database.store().records(named: name)
        guard !records.isEmpty else { throw ValidationError("no service named '\(name)' in the registry") }
        if output.json { return output.printJSON(APIJSON.serviceAnswer(name: name, records: records, format: .pretty)) }
        print(RecordTable(records).text)
    }
}
