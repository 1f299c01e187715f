import Registry

/// Uses of a port outside IANA's assignments, as their vendors document them: portinfo's own
/// table, not IANA's data, shown labelled so, each with its source.
enum KnownUseList {
    static func write(_ uses: [KnownUse], into html: inout HTMLWriter) {
        html.element("h2") { html in
            html.text("Known uses ")
            html.element("span", ["class": "label"], text: "from vendor documentation, not IANA")
        }
        html.element("ul") { html in
            for use in uses { item(use, into: &html) }
        }
    }

    /// "Apache Kafka: client connections to a broker (TCP, port 9092) — Apache Software Foundation"
    static func item(_ use: KnownUse, into html: inout HTMLWriter) {
        html.element("li") { html in
            html.element("strong", text: use.product)
            let ports = use.ports.first == use.ports.last ? "port \(use.ports.first)" : "ports \(use.ports.first)–\(use.ports.last)"
            html.text(": \(use.use) (\(use.transport.rawValue.uppercased()), ")
            html.link("/ports/\(use.ports.first)", text: ports)
            html.text(") — ")
            html.link(use.url, text: use.vendor)
        }
    }
}

/// The names people use for a port's services that IANA does not give them (dns for domain).
enum EverydayNames {
    static func line(_ names: [EverydayName], into html: inout HTMLWriter) {
        guard !names.isEmpty else { return }
        html.element("p") { html in
            html.text("Also called ")
            for (index, name) in names.enumerated() {
                if index > 0 { html.text(index == names.count - 1 ? " and " : ", ") }
                html.element("strong", text: name.name)
                html.text(" (for \(name.service), ")
                html.link(name.source, text: "source")
                html.text(")")
            }
            html.text(" ")
            html.element("span", ["class": "label"], text: "portinfo's everyday names, not IANA")
        }
    }
}
