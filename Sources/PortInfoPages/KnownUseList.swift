/// A use of a port outside IANA's assignments, as its vendor documents it (portinfo's own table,
/// not IANA's data): shown labelled so, with its source.
public struct PageKnownUse: Sendable {
    public let product: String
    public let use: String
    public let transport: String?
    public let vendor: String
    public let url: String

    public init(product: String, use: String, transport: String?, vendor: String, url: String) {
        self.product = product
        self.use = use
        self.transport = transport
        self.vendor = vendor
        self.url = url
    }
}

enum KnownUseList {
    static func write(_ uses: [PageKnownUse], into html: inout HTMLWriter) {
        html.element("h2") { html in
            html.text("Known uses ")
            html.element("span", ["class": "label"], text: "from vendor documentation, not IANA")
        }
        html.element("ul") { html in
            for use in uses {
                html.element("li") { html in
                    html.element("strong", text: use.product)
                    html.text(": \(use.use)" + (use.transport.map { " (\($0.uppercased()))" } ?? "") + " — ")
                    if use.url.hasPrefix("https://") || use.url.hasPrefix("http://") {
                        html.link(use.url, text: use.vendor)
                    } else {
                        html.text(use.vendor)
                    }
                }
            }
        }
    }
}
