/// What a re-seed changed in IANA's records: how many were added, removed and changed. Records
/// are matched by service name, port number and transport (and by order among rows that share
/// all three). The records themselves are kept in the new database (`registry_changes`), for
/// `/registry/changes`.
public struct RegistryChanges: Equatable, Sendable {
    public let added: Int
    public let removed: Int
    public let changed: Int

    public init(added: Int, removed: Int, changed: Int) {
        self.added = added
        self.removed = removed
        self.changed = changed
    }

    /// Record's JSON keys for IANA's columns, as a changed record names what differs.
    static let comparedColumns: [(column: String, key: String)] = [
        ("description", "description"), ("assignee", "assignee"), ("contact", "contact"),
        ("registration_date", "registered"), ("modification_date", "modified"), ("reference", "references"),
        ("service_code", "service_code"), ("unauthorized_use_reported", "unauthorized_use"), ("assignment_notes", "notes"),
    ]

    /// Compares the IANA records of `database` (a registry being built) with those of the
    /// registry it replaces, `previous`: keeps the differences in `registry_changes` and what they
    /// are from in the metadata, and returns the counts and the metadata as it now is.
    static func record(in database: Database, since previous: RegistryImage) throws -> (RegistryChanges, RegistryMetadata) {
        try attaching(previous, to: database) { differences in
            try database.execute("""
                INSERT INTO registry_changes (change, service_name, port_number, transport_protocol, description, fields)
                \(differences)
                """)
            try database.execute("""
                UPDATE registry_metadata SET previous_csv_sha256 = (SELECT csv_sha256 FROM previous.registry_metadata),
                    previous_newest_iana_date = (SELECT newest_iana_date FROM previous.registry_metadata)
                """)
            let counts = try count("SELECT change FROM registry_changes", in: database)
            let metadata = try database.prepare("SELECT \(RegistryMetadata.columns) FROM registry_metadata").rows(RegistryMetadata.init(row:))[0]
            return (counts, metadata)
        }
    }

    /// How the IANA records of `new` differ from those of `old`: what a server that switches
    /// from one to the other logs (`RegistryLoad.changes`, under the load's budget).
    static func between(_ old: RegistryImage, and new: RegistryImage, budget: StatementBudget?) throws -> RegistryChanges {
        let database = try new.connect(budget: budget)
        return try attaching(old, to: database) { differences in
            try count("SELECT change FROM (\(differences))", in: database)
        }
    }

    private static func count(_ changes: String, in database: Database) throws -> RegistryChanges {
        try database.prepare("""
            SELECT count(*) FILTER (WHERE change = 'added'), count(*) FILTER (WHERE change = 'removed'),
                   count(*) FILTER (WHERE change = 'changed') FROM (\(changes))
            """).rows { RegistryChanges(added: $0.int(at: 0), removed: $0.int(at: 1), changed: $0.int(at: 2)) }[0]
    }

    /// Runs `body` with the image `previous` attached to `database` as `previous`, and the query
    /// of the differences between main's IANA records and previous's: (change, service_name,
    /// port_number, transport_protocol, description, fields), added then removed then changed.
    private static func attaching<Result>(_ previous: RegistryImage, to database: Database, _ body: (String) throws -> Result) throws -> Result {
        let attach = try database.prepare("ATTACH DATABASE ? AS previous")
        try attach.bind("file:\(previous.name)?vfs=memdb", at: 1)
        try attach.run()
        defer { try? database.execute("DETACH DATABASE previous") }
        // The previous database may be of an older schema: only IANA's columns are compared,
        // and every record of a database before site records is IANA's.
        let previousIANA = try database.hasColumn("source", in: "records", schema: "previous") ? "source = 'iana'" : "1"
        let keyed = { (schema: String, filter: String) in """
            SELECT service_name, port_number, transport_protocol,
                   row_number() OVER (PARTITION BY service_name, port_number, transport_protocol ORDER BY id) AS nth,
                   \(comparedColumns.map(\.column).joined(separator: ", "))
            FROM \(schema).records WHERE \(filter)
            """ }
        let differs = comparedColumns.map { "CASE WHEN n.\($0.column) IS NOT o.\($0.column) THEN ',\($0.key)' ELSE '' END" }
            .joined(separator: " || ")
        let sameKey = """
            o.service_name = n.service_name AND o.port_number = n.port_number
            AND o.transport_protocol = n.transport_protocol AND o.nth = n.nth
            """
        return try body("""
            WITH new AS (\(keyed("main", "source = 'iana'"))), old AS (\(keyed("previous", previousIANA)))
            SELECT 'added' AS change, n.service_name, n.port_number, n.transport_protocol, n.description, NULL FROM new n
            WHERE NOT EXISTS (SELECT 1 FROM old o WHERE \(sameKey))
            UNION ALL
            SELECT 'removed', o.service_name, o.port_number, o.transport_protocol, o.description, NULL FROM old o
            WHERE NOT EXISTS (SELECT 1 FROM new n WHERE \(sameKey))
            UNION ALL
            SELECT 'changed', n.service_name, n.port_number, n.transport_protocol, n.description, substr(\(differs), 2)
            FROM new n JOIN old o ON \(sameKey)
            WHERE (\(differs)) <> ''
            """)
    }
}

/// One of IANA's records a re-seed added, removed or changed (`/registry/changes`).
public struct RegistryChange: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case added, removed, changed
    }

    public let kind: Kind
    public let service: String?
    public let ports: String?
    public let transport: String?
    public let description: String?
    /// For a changed record: what differs, as Record's JSON keys.
    public let fields: [String]

    init(row: Statement) {
        kind = Kind(rawValue: row.text(at: 0)) ?? .changed
        service = row.optionalText(at: 1).flatMap(\.nonEmpty)
        ports = row.optionalText(at: 2).flatMap(\.nonEmpty)
        transport = row.optionalText(at: 3).flatMap(\.nonEmpty)
        description = row.optionalText(at: 4).flatMap(\.nonEmpty)
        fields = row.optionalText(at: 5).map { $0.split(separator: ",").map(String.init) } ?? []
    }
}

/// A page of what the last re-seed changed, and how many changes there are of each kind.
public struct RegistryChangeList: Equatable, Sendable {
    public let counts: RegistryChanges
    public let entries: [RegistryChange]
}
