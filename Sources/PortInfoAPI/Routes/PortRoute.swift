import HostState
import PortInfoPages
import PortInfoReports
import Registry

extension PortInfoAPI {
    /// `/ports/{port}`: every record covering the port, its range and status, its known uses and
    /// related ports; with local-host reporting, what listens on it here, for a client that may see
    /// that. An answer without listeners is the same for everyone asking the same way: rendered
    /// once, kept, and (when nothing else decides it) kept finished.
    func portAnswer(_ request: inout RouteRequest) throws(Problem) -> Reply {
        let segment = request.segment
        let port: Int
        if let parsed = PortLookup.port(fromDecimal: segment), segment.utf8.first != UInt8(ascii: "0") || segment.utf8.count == 1 {
            port = parsed // the usual case, without decoding
        } else {
            let text = String(percentDecoding: segment, plusIsSpace: false)
            guard let text, let parsed = PortLookup.port(fromDecimal: text) else {
                throw Problem(.invalidPort, PortLookup.invalidPortMessage(text ?? String(segment)))
            }
            guard String(parsed) == text else {
                let location = "/ports/\(parsed)" + (request.http.query.map { "?\($0)" } ?? "")
                return .now(Answer(status: 301, fields: [("Location", location)], caching: .unstated, context: request.context))
            }
            port = parsed
        }
        let transport = try request.query.value("transport").map { (name) throws(Problem) in try Self.recordTransport(named: name) }
        let representation = request.representation
        let generation = request.generation
        var sharedCaches = true
        if let localHost {
            // Whether the answer shows listeners depends on the Origin, and on the token when there is one.
            request.context.consulted.insert(.origin)
            request.context.consulted.formUnion(localHost.rules.consulted)
            let refusal = localHost.rules.refusal(of: request.http)
            if refusal == nil && originMaySeeHostState(request.http) {
                request.context.audience = .hostState
                let hostReport = generation.localHostReport!
                let context = request.context
                return .query { [self] () throws(Problem) in
                    // With the host's listeners the answer is live: built each time, never cached.
                    let report = try fromRegistry(generation) { try $0.report(port: port, transport: transport) }
                    // Only TCP and UDP sockets are reported: an SCTP or DCCP question has no listeners.
                    let listenerTransport = transport.map { Listener.Transport(rawValue: $0.rawValue) }
                    let listeners = listenerTransport == .some(nil) ? []
                        : try fromHostState { try hostReport.listeners(transport: listenerTransport ?? nil, port: port) }
                    switch representation {
                    case let .json(format):
                        return .json(APIJSON.portReport(report, listeners: listeners, format: format), caching: .noStore, context: context)
                    case .html:
                        return .html(Self.portPage(report, listeners: listeners), caching: .noStore, context: context)
                    }
                }
            }
            // The client's address is no field a cache could vary on: only its own cache may keep this.
            sharedCaches = refusal != .address
        }
        let key = PortAnswerCache.Key(port: port, transport: transport, representation: representation)
        let caching = Answer.Caching.registry(representation, sharedCaches: sharedCaches)
        // With no local-host rules, no Origin and no If-None-Match, nothing but the key decides the
        // response: the same bytes each time, which the finishing stage keeps finished.
        let sameForEveryone = localHost == nil && request.http.headers["Origin"] == nil && request.http.headers["If-None-Match"] == nil
        let context = request.context
        @Sendable func answer(_ body: [UInt8]) -> Answer {
            var answer = Answer.registry(body, representation, caching: caching, context: context)
            if sameForEveryone { answer.keptFinishedAs = key }
            return answer
        }
        if let cached = generation.portAnswers.body(for: key) { return .now(answer(cached)) }
        return .query { [self] () throws(Problem) in
            let report = try fromRegistry(generation) { try $0.report(port: port, transport: transport) }
            let body = switch representation {
            case let .json(format): APIJSON.portReport(report, format: format)
            case .html: Self.portPage(report, listeners: nil)
            }
            generation.portAnswers.keep(body, for: key)
            return answer(body)
        }
    }

    /// The port's page, with what listens on it here when the client may see that.
    private static func portPage(_ report: PortReport, listeners: [LocalHostReport.ServicedListener]?) -> [UInt8] {
        PortPage(report: report, listeners: listeners?.map(\.listener).map {
            PageListener(transport: $0.transport.rawValue, address: $0.address, port: $0.port, pid: $0.pid, process: $0.process, user: $0.user)
        }).rendered()
    }

    private static func recordTransport(named name: String) throws(Problem) -> Record.Transport {
        guard let transport = Record.Transport(rawValue: name) else {
            let names = Record.Transport.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem(.invalidParameter, "query parameter 'transport' must be one of \(names), got '\(name)'")
        }
        return transport
    }
}
