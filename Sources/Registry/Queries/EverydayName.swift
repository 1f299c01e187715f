/// A name people use for an IANA service that IANA does not give it (`dns` for `domain` on 53,
/// `rdp` for `ms-wbt-server` on 3389), from `knowledge/everyday-names.csv`: portinfo's own table,
/// not IANA's, labelled so wherever it shows.
public struct EverydayName: Equatable, Sendable {
    /// As people write it: "dns", "remote desktop".
    public let name: String
    /// The IANA service name it stands for, lower-cased.
    public let service: String
    /// The port of that service it means.
    public let port: Int
    /// The RFC or IANA record it names, as a URL: an RFC that IANA's records of that service
    /// cite, else the service's entry in IANA's registry.
    public let source: String

    /// The columns `init(row:)` reads, in its order.
    static let columns = "e.name, e.service, e.port, e.source"

    init(name: String, service: String, port: Int, source: String) {
        self.name = name
        self.service = service
        self.port = port
        self.source = source
    }

    init(row: Statement, from column: Int32 = 0) {
        name = row.text(at: column)
        service = row.text(at: column + 1)
        port = row.int(at: column + 2)
        source = row.text(at: column + 3)
    }
}
