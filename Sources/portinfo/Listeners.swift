import ArgumentParser
import HostState
import PortInfoReports
import Registry

struct Listeners: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What listens on this host (like ss -tulpn), with the IANA service registered for each port.")

    @Option(help: "Only sockets of this transport.")
    var transport: Listener.Transport?

    @Option(help: "Only sockets on this port.")
    var port: Int?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = try database.localHostReport()
        let listeners = try report.listeners(transport: transport, port: port)
        if output.json {
            return output.printJSON(APIJSON.listenersAnswer(host: LocalHostReport.hostName, listeners: listeners, format: .pretty))
        }
        let rows = listeners.map { serviced -> [String] in
            let listener = serviced.listener
            let address = listener.family == .ipv6 ? "[\(listener.address)]" : listener.address
            let owner = listener.pid.map { "\(listener.process ?? "?")(\($0))" } ?? "-"
            return [listener.transport.rawValue, "\(address):\(listener.port)", owner, listener.user ?? "-", serviced.service ?? "-"]
        }
        print(TextTable(columns: ["NETID", "LOCAL ADDRESS:PORT", "PROCESS(PID)", "USER", "IANA SERVICE"], rows: rows).text)
    }
}

extension Listener.Transport: ExpressibleByArgument {}
