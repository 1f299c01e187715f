import CSQLite

/// A use of a port that its vendor documents, outside IANA's assignments (Kubernetes' API server
/// on 6443, Elasticsearch on 9200), from `knowledge/known-uses.csv`: portinfo's own table, not
/// IANA's, labelled so wherever it shows. A port IANA assigns to something else may be known
/// for such a use all the same: neither says what is listening on a given host.
public struct KnownUse: Equatable, Sendable {
    /// What uses the port: "Apache Kafka".
    public let product: String
    /// Other names it is searched by: "kafka".
    public let names: [String]
    /// What the product uses the port for, in portinfo's words.
    public let use: String
    public let ports: Record.Ports
    public let transport: Record.Transport
    public let vendor: String
    /// The vendor's documentation of this use.
    public let url: String

    /// The columns `init(row:)` reads, in its order.
    static let columns = "k.product, k.names, k.use, k.port_first, k.port_last, k.transport, k.vendor, k.url"
    static let columnCount: Int32 = 8

    init(product: String, names: [String], use: String, ports: Record.Ports, transport: Record.Transport, vendor: String, url: String) {
        self.product = product
        self.names = names
        self.use = use
        self.ports = ports
        self.transport = transport
        self.vendor = vendor
        self.url = url
    }

    /// A row of `known_uses`; one whose transport is none of the four (a file's, not a seed's)
    /// is damage, and fails the query (SQLITE_CORRUPT) rather than the server.
    init(row: Statement) throws(SQLiteError) {
        guard let transport = Record.Transport(rawValue: row.text(at: 5)) else {
            throw SQLiteError(code: SQLITE_CORRUPT, message: "a known use has a transport the schema does not allow")
        }
        product = row.text(at: 0)
        let names = row.text(at: 1)
        self.names = names.isEmpty ? [] : names.split(separator: Self.nameSeparator).map(String.init)
        use = row.text(at: 2)
        ports = Record.Ports(first: row.int(at: 3), last: row.int(at: 4))
        self.transport = transport
        vendor = row.text(at: 6)
        url = row.text(at: 7)
    }

    /// How `names` are joined in the database: a character no name holds.
    static let nameSeparator: Character = "\u{1F}"
}
