/// A problem, for a browser: its title and what to do instead, with the lookup box at hand.
public enum ErrorPage {
    public static func rendered(status: Int, title: String, detail: String) -> [UInt8] {
        PageShell.document(title: "\(title) — portinfo") { html in
            html.element("h1", text: title)
            html.element("p", ["class": "answer"], text: detail)
            html.element("p", ["class": "muted"], text: "HTTP status \(status).")
        }
    }
}
