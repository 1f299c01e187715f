/// `GET /`: the lookup box, and what it takes.
public enum LookupPage {
    public static func rendered() -> [UInt8] {
        PageShell.document(title: "portinfo — what is port N?") { html in
            html.element("h1", text: "What is port N?")
            html.element("p", ["class": "answer"], text: "Type a port number, a service name or a few words above: "
                + "5432, ssh, “network file system”.")
            html.element("p") { html in
                html.text("Answers come from IANA's Service Name and Transport Protocol Port Number Registry. Every port has its "
                    + "own page, such as ")
                html.link("/ports/600", text: "/ports/600")
                html.text("; scripts get JSON from the same addresses (")
                html.link("/openapi.yaml", text: "the API")
                html.text(").")
            }
        }
    }
}
