import ArgumentParser
import PortInfoAPI
import Registry

struct Lookup: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "What IANA registers for a port.")

    @Argument(help: "A port number, 0 to 65535.")
    var port: String

    @Option(help: "Only records for this transport (and those that name none): tcp, udp, sctp or dccp.")
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
        let lookup = try store.lookup(port: PortLookup.port(fromDecimal: port)!, transport: transport)
        if output.json {
            let related = try store.relatedPorts(to: lookup.port, records: lookup.records)
            return output.printJSON(APIJSON.portLookup(lookup, related: related, format: .pretty))
        }
        print("port \(lookup.port) (\(lookup.range.rawValue) range): \(lookup.status.rawValue)")
        if !lookup.records.isEmpty { print(RecordTable(lookup.records).text) }
    }
}

extension Record.Transport: ExpressibleByArgument {}
