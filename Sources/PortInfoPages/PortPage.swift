import Registry

/// A socket listening on this host, as a page shows it (from local-host reporting).
public struct PageListener: Sendable {
    public let transport: String
    public let address: String
    public let port: Int
    public let pid: Int?
    public let process: String?
    public let user: String?

    public init(transport: String, address: String, port: Int, pid: Int?, process: String?, user: String?) {
        self.transport = transport
        self.address = address
        self.port = port
        self.pid = pid
        self.process = process
        self.user = user
    }
}

/// What a port page is made of: portinfo's report on the port, and, when this client may see
/// them, what listens on it here.
public struct PortPage: Sendable {
    public let report: PortReport
    /// nil when local-host reporting is off or this client may not see the host's state.
    public let listeners: [PageListener]?

    public init(report: PortReport, listeners: [PageListener]?) {
        self.report = report
        self.listeners = listeners
    }

    /// The page, as HTML.
    public func rendered() -> [UInt8] {
        let lookup = report.lookup
        let port = lookup.port
        let groups = ServiceGroup.grouping(lookup.records.filter { $0.source == .iana && $0.status == .assigned })
        let site = ServiceGroup.grouping(lookup.records.filter { $0.source == .site })
        return PageShell.document(title: "Port \(port): \(groups.first?.name ?? lookup.status.rawValue) — portinfo") { html in
            html.element("h1", text: "Port \(port)")
            html.element("p", ["class": "answer"], text: Self.answer(port: port, status: lookup.status, groups: groups))
            EverydayNames.line(report.everydayNames, into: &html)
            RangeText.paragraph(for: port, into: &html)
            if !groups.isEmpty {
                html.element("h2", text: groups.count == 1 ? "Registered service" : "Registered services")
                for group in groups { RecordSection.write(group, into: &html) }
            }
            let other = ServiceGroup.grouping(lookup.records.filter { $0.source == .iana && $0.status != .assigned })
            if !other.isEmpty {
                html.element("h2", text: "Reserved and unassigned entries")
                for group in other { RecordSection.write(group, into: &html) }
            }
            if !site.isEmpty {
                html.element("h2") { html in
                    html.text("This site's assignments ")
                    html.element("span", ["class": "label"], text: "site, not IANA")
                }
                for group in site { RecordSection.write(group, into: &html) }
            }
            if !report.knownUses.isEmpty { KnownUseList.write(report.knownUses, into: &html) }
            HostCheckCommands.write(port: port, transports: Self.checkedTransports(lookup.records), into: &html)
            if let listeners { Self.writeListeners(listeners, port: port, into: &html) }
            Self.writeRelated(report.related, into: &html)
            Self.writeLinks(port: port, into: &html)
        }
    }

    /// One line a reader takes away: "Port 600 is assigned to ipcserver — Sun IPC server — for TCP and UDP."
    static func answer(port: Int, status: Record.Status, groups: [ServiceGroup]) -> String {
        guard let main = groups.first else {
            switch status {
            case .reserved: return "Port \(port) is reserved by IANA: not assigned to any service."
            default:
                return PortRange(port: port) == .dynamic
                    ? "Port \(port) is in the dynamic range: IANA never assigns it to a service."
                    : "Port \(port) is not assigned to any service by IANA."
            }
        }
        let range = main.ports.map { $0.first == $0.last ? "" : " (ports \($0.first)–\($0.last))" } ?? ""
        var line = "Port \(port) is assigned to \(main.name ?? "an unnamed service")\(range)"
        if let description = main.first.description { line += " — \(description) —" }
        line += " for \(main.transportText)."
        let others = groups.dropFirst().compactMap(\.name).filter { $0.lowercased() != main.name?.lowercased() }
        if let names = ServiceGroup.list(Array(Set(others)).sorted()) { line += " Also registered on it: \(names)." }
        return line
    }

    /// TCP and UDP, as the records name them (all both when none names a transport).
    static func checkedTransports(_ records: [Record]) -> [Record.Transport] {
        let named = Set(records.compactMap(\.transport)).intersection([.tcp, .udp])
        return named.isEmpty ? [.tcp, .udp] : [.tcp, .udp].filter(named.contains)
    }

    private static func writeListeners(_ listeners: [PageListener], port: Int, into html: inout HTMLWriter) {
        html.element("h2", text: "Listening here")
        guard !listeners.isEmpty else {
            html.element("p", text: "Nothing listens on port \(port) on this host now.")
            return
        }
        html.element("table") { html in
            html.markup("<thead><tr><th>Transport</th><th>Address</th><th>Process</th><th>PID</th><th>User</th></tr></thead><tbody>")
            for listener in listeners {
                html.element("tr") { html in
                    html.element("td", text: listener.transport.uppercased())
                    html.element("td", text: listener.address)
                    html.element("td", text: listener.process ?? "not visible")
                    html.element("td", text: listener.pid.map(String.init) ?? "—")
                    html.element("td", text: listener.user ?? "—")
                }
            }
            html.markup("</tbody>")
        }
    }

    private static func writeRelated(_ related: [RelatedPort], into html: inout HTMLWriter) {
        guard !related.isEmpty else { return }
        html.element("h2", text: "Related ports")
        html.element("ul", ["class": "related"]) { html in
            for port in related {
                html.element("li") { html in
                    html.link("/ports/\(port.port)", text: "\(port.port) \(port.service)")
                    if let description = port.description { html.text(" — \(description)") }
                    html.element("span", ["class": "muted"], text: " (\(port.reasons.joined(separator: "; ")))")
                }
            }
        }
    }

    private static func writeLinks(port: Int, into html: inout HTMLWriter) {
        html.element("nav", ["class": "neighbours", "aria-label": "More"]) { html in
            html.element("span") { html in
                if port > PortLookup.validPorts.lowerBound { html.link("/ports/\(port - 1)", text: "← Port \(port - 1)") }
            }
            html.element("span") { html in
                html.link("/ports/\(port)?format=json", text: "JSON")
                html.text(" · ")
                html.link(IANARegistry.pageURL + "service-names-port-numbers.xhtml?search=\(port)", text: "IANA's registry")
            }
            html.element("span") { html in
                if port < PortLookup.validPorts.upperBound { html.link("/ports/\(port + 1)", text: "Port \(port + 1) →") }
            }
        }
    }
}
