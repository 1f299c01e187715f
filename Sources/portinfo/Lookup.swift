import ArgumentParser
import PortInfoReports
import Registry

struct Lookup: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "What IANA registers for a port.")

    @Argument(help: "A port number, 0 to 65535.")
    var port: String

    @Option(help: "Only records for this transport, and those that name none.")
    var transport: Record.Transport?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard PortLookup.port(fromDecimal: port) != nil else {
            throw ValidationError(PortLookup.invalidPortMessage(port))
        }
    }

    func run() throws {
        let store = try database.store()
        let number = PortLookup.port(fromDecimal: port)!
        if output.json { return output.printJSON(APIJSON.portReport(try store.report(port: number, transport: transport), format: .pretty)) }
        let lookup = try store.lookup(port: number, transport: transport)
        print("port \(lookup.port) (\(lookup.range.rawValue) range): \(lookup.status.rawValue)")
        if !lookup.records.isEmpty { print(RecordTable(lookup.records).text) }
    }
}

extension Record.Transport: ExpressibleByArgument {}
