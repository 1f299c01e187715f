import Registry

/// What every page is wrapped in: the document head (title, viewport, the inline stylesheet),
/// a header with the lookup box, and a footer crediting IANA's data.
enum PageShell {
    static func document(title: String, query: String = "", _ content: (inout HTMLWriter) -> Void) -> [UInt8] {
        var html = HTMLWriter()
        html.markup("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        html.markup("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        html.element("title", text: title)
        html.markup("<style>")
        html.markup(PageStyle.cssLiteral)
        html.markup("</style></head><body><header><a class=\"home\" href=\"/\">portinfo</a>")
        html.element("form", ["class": "lookup", "action": "/", "method": "get", "role": "search"]) { html in
            html.open("input", ["type": "search", "name": "q", "value": query, "aria-label": "Port, service or words",
                                "placeholder": "Port, service or words: 5432, ssh, network file system"])
            html.markup("<button type=\"submit\">Look up</button>")
        }
        html.markup("</header><main>")
        content(&html)
        html.markup("</main><footer>")
        html.text("Data: IANA Service Name and Transport Protocol Port Number Registry (public domain, CC0 1.0); ")
        html.link(IANARegistry.pageURL, text: "iana.org")
        html.text(". portinfo is not endorsed by IANA. A port's assignment does not mean that traffic on it is that service.")
        html.markup("</footer></body></html>\n")
        return html.bytes
    }
}
