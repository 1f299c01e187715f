import Registry

/// What a port's range means (RFC 6335, section 6), said once for every page.
enum RangeText {
    static func paragraph(for port: Int, into html: inout HTMLWriter) {
        html.element("p") { html in
            switch PortRange(port: port) {
            case .system:
                html.element("strong", text: "System port")
                html.text(" (range 0–1023): IANA assigns these through IETF review. On Unix-like systems, binding one "
                    + "needs privilege (root, or CAP_NET_BIND_SERVICE on Linux).")
            case .user:
                html.element("strong", text: "User port")
                html.text(" (range 1024–49151): IANA registers these on request. Any user may bind one.")
            case .dynamic:
                html.element("strong", text: "Dynamic port")
                html.text(" (range 49152–65535): never assigned by IANA; systems hand these out as ephemeral ports "
                    + "for the local end of outgoing connections.")
            }
        }
    }
}
