import Registry

/// `/services/{name}` for a browser: the name's records, a section per port and transports merged.
public struct ServicePage: Sendable {
    public let name: String
    public let records: [Record]

    public init(name: String, records: [Record]) {
        self.name = name
        self.records = records
    }

    public func rendered() -> [UInt8] {
        let groups = ServiceGroup.grouping(records)
        let title = records.first?.service ?? name
        return PageShell.document(title: "\(title) — portinfo", query: title) { html in
            html.element("h1", text: title)
            let ports = groups.compactMap { group in group.portText.map { "\($0) (\(group.transportText))" } }
            html.element("p", ["class": "answer"], text: ports.isEmpty
                ? "\(title) is registered as a service name without a port (for DNS-SD)."
                : "\(title) is registered on port\(ports.count == 1 && !ports[0].contains("–") ? "" : "s") \(ports.joined(separator: "; ")).")
            for group in groups { RecordSection.write(group, into: &html) }
            html.element("p") { html in
                html.link("/services/\(PathSegment.encoded(name))?format=json", text: "JSON")
            }
        }
    }
}
