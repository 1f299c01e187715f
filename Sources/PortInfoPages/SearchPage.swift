import Registry

/// Search results for a browser: `/search?q=` and the lookup page's `/?q=`, grouped by service
/// and port with their transports merged (the JSON keeps a result per record).
public struct SearchPage: Sendable {
    public let query: String
    public let results: SearchResults
    /// The port the query names, when it is one: its answer leads the page.
    public let port: PortLookup?
    public let offset: Int
    public let limit: Int

    public init(query: String, results: SearchResults, port: PortLookup?, offset: Int, limit: Int) {
        self.query = query
        self.results = results
        self.port = port
        self.offset = offset
        self.limit = limit
    }

    public func rendered() -> [UInt8] {
        PageShell.document(title: "\(query) — portinfo search", query: query) { html in
            html.element("h1", text: "Looking up “\(query)”")
            if let port {
                let groups = ServiceGroup.grouping(port.records.filter { $0.source == .iana && $0.status == .assigned })
                html.element("p", ["class": "answer"]) { html in
                    html.text(PortPage.answer(port: port.port, status: port.status, groups: groups) + " ")
                    html.link("/ports/\(port.port)", text: "The page for port \(port.port)")
                }
            }
            // A port number the search finds nowhere else is answered by its port alone.
            if port == nil || results.total > 0 {
                Self.writeResults(results, query: query, offset: offset, limit: limit, into: &html)
            }
            if offset == 0, !results.knownUses.isEmpty {
                KnownUseList.write(results.knownUses.map(\.knownUse), into: &html)
            }
        }
    }

    static func writeResults(_ results: SearchResults, query: String, offset: Int, limit: Int, into html: inout HTMLWriter) {
        guard results.total > 0 else {
            html.element("p", text: "No service name, description or note matches “\(query)”.")
            return
        }
        // Offsets come from the query string, up to Int.max: compared so that nothing overflows.
        html.element("p", ["class": "muted"], text: "\(results.total) matching record\(results.total == 1 ? "" : "s"), best first"
            + (offset > 0 && offset < results.total ? ", from \(offset + 1)" : "") + ".")
        let everydayNames = Dictionary(results.hits.compactMap { hit in hit.everydayName.map { (hit.record.service?.lowercased() ?? "", $0) } },
                                       uniquingKeysWith: { first, _ in first })
        html.element("ul", ["class": "results"]) { html in
            for group in ServiceGroup.grouping(results.records) {
                html.element("li") { html in
                    if let name = group.name {
                        html.link("/services/\(PathSegment.encoded(name))", text: name)
                    } else {
                        html.text(group.first.status.rawValue)
                    }
                    if let ports = group.ports {
                        html.text(" on ")
                        html.link("/ports/\(ports.first)", text: "port \(group.portText!)")
                        html.text(" (\(group.transportText))")
                    }
                    if let description = group.first.description { html.text(" — \(description)") }
                    if let everyday = everydayNames[group.name?.lowercased() ?? ""] {
                        html.text(" ")
                        html.element("span", ["class": "label"], text: "everyday name: \(everyday.name)")
                    }
                    if group.first.source == .site {
                        html.text(" ")
                        html.element("span", ["class": "label"], text: "site")
                    }
                }
            }
        }
        if results.total - offset > limit {
            html.element("p") { html in
                html.link("/search?q=\(PathSegment.encoded(query))&offset=\(offset + limit)&limit=\(limit)", text: "More results →")
            }
        }
    }
}
