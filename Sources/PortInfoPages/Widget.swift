/// The wiki widget (`assets/widget.js`, embedded at build time): a wiki page that loads it from
/// this server gets a card for each `data-portinfo-port` and `data-portinfo-service` element,
/// drawn from the API (see assets/README.md).
public enum Widget {
    public static let script: [UInt8] = Array(embeddedWidgetFiles[0].text.utf8)
    /// Scripts run no other code and load nothing themselves as documents; this says so to
    /// anything that would render the file as one.
    public static let contentSecurityPolicy = "default-src 'none'"
}
