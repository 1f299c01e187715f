import ArgumentParser
import HostState
import PortInfoReports
import Registry

struct FreePorts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "free-ports",
        abstract: "Ports IANA lists as unassigned on which nothing listens here: candidates for a new internal service.")

    @Option(help: "How many, 1 to \(LocalHostReport.maximumFreePortCount).")
    var count = LocalHostReport.defaultFreePortCount

    @Option(help: "system (0-1023), user (1024-49151) or dynamic (49152-65535).")
    var range: PortRange = .user

    @Option(help: "Only ports free for this transport (default: free for both).")
    var transport: Listener.Transport?

    @Option(help: "The lowest port to consider (default: the range's first; below the range, its first).")
    var from: Int?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (1...LocalHostReport.maximumFreePortCount).contains(count) else {
            throw ValidationError("--count must be from 1 to \(LocalHostReport.maximumFreePortCount), got \(count)")
        }
        if let from, !PortLookup.validPorts.contains(from) {
            throw ValidationError("--from must be a port from 0 to 65535, got \(from)")
        }
    }

    func run() throws {
        let report = try database.localHostReport()
        let start = from ?? range.ports.lowerBound
        let ports = try report.freePorts(in: range.ports, transport: transport, from: start, count: count)
        if output.json {
            return output.printJSON(APIJSON.freePortsAnswer(range: range, transport: transport?.rawValue, from: start, ports: ports, format: .pretty))
        }
        print(ports.map(String.init).joined(separator: "\n"))
    }
}

extension PortRange: ExpressibleByArgument {}
