import HostState
import PortInfoReports
import Registry

extension PortInfoAPI {
    /// `/listeners`: this host's listening sockets, each with the IANA service of its port.
    func listenersAnswer(_ request: inout RouteRequest) throws(Problem) -> Reply {
        let report = try localHostReport(for: &request)
        let transport = try request.query.value("transport").map { (name) throws(Problem) in try Self.listenerTransport(named: name) }
        let port = try request.query.integer("port", from: PortLookup.validPorts.lowerBound, to: PortLookup.validPorts.upperBound)
        let (format, context) = (request.format, request.context)
        return .query { [self] () throws(Problem) in
            let listeners = try fromHostState { try report.listeners(transport: transport, port: port) }
            return .json(APIJSON.listenersAnswer(host: hostName, listeners: listeners, format: format), caching: .noStore, context: context)
        }
    }

    /// `/free-ports`: ports IANA lists as unassigned on which nothing listens here, lowest first.
    func freePortsAnswer(_ request: inout RouteRequest) throws(Problem) -> Reply {
        let report = try localHostReport(for: &request)
        let query = request.query
        let transport = try query.value("transport").map { (name) throws(Problem) in try Self.listenerTransport(named: name) }
        let range = try query.value("range").map { (name) throws(Problem) -> PortRange in
            guard let range = PortRange(rawValue: name) else {
                throw Problem(.invalidParameter, "query parameter 'range' must be one of system, user, dynamic, got '\(name)'")
            }
            return range
        } ?? .user
        let count = try query.integer("count", from: 1, to: LocalHostReport.maximumFreePortCount) ?? LocalHostReport.defaultFreePortCount
        let from = try query.integer("from", from: PortLookup.validPorts.lowerBound, to: PortLookup.validPorts.upperBound)
            ?? range.ports.lowerBound
        let (format, context) = (request.format, request.context)
        return .query { [self] () throws(Problem) in
            let ports = try fromHostState { try report.freePorts(in: range.ports, transport: transport, from: from, count: count) }
            return .json(APIJSON.freePortsAnswer(range: range, transport: transport?.rawValue, from: from, ports: ports, format: format),
                         caching: .noStore, context: context)
        }
    }

    /// The local-host report, once the request has shown it may see it.
    private func localHostReport(for request: inout RouteRequest) throws(Problem) -> LocalHostReport {
        guard let localHost, let report = request.generation.localHostReport else {
            throw Problem(.localReportingOff, """
                local-host reporting is off: start the server with --report-local (PORTINFO_REPORT_LOCAL=1) \
                to serve /listeners and /free-ports
                """)
        }
        request.context.consulted.formUnion(localHost.rules.consulted)
        if let refusal = localHost.rules.refusal(of: request.http) { throw LocalAccessRules.problem(for: refusal, of: request.http) }
        return report
    }

    private static func listenerTransport(named name: String) throws(Problem) -> Listener.Transport {
        guard let transport = Listener.Transport(rawValue: name) else {
            throw Problem(.invalidParameter, "query parameter 'transport' must be tcp or udp, got '\(name)'")
        }
        return transport
    }
}
