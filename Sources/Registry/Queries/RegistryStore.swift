import Glibc

/// Read-only queries over a seeded registry database. Prepares its statements when it opens (so a
/// damaged file fails here, not mid-query), and holds them: keep one store per thread and reuse it.
///
/// What each query costs, on the 2026-02 registry (14,499 records, 10,484 search terms; release
/// build on a shared 2-core box; `RegistryBench DATABASE costs` measures them again):
/// - `lookup(port:)`: two index searches: the port's own rows (at most 7 share one port), and the
///   range rows starting at most `widestRange` (828) ports below it (756 range rows in all). 15-20 µs.
/// - `records(named:)`: one index search, the rows of that name (at most 6). ~20 µs.
/// - `search`: the page expands every word over the terms it starts; SearchQuery caps the words
///   at 8 and the text at 256 bytes, and repeats cost nothing. Beside that it runs the words as one
///   exact phrase (whole terms: no expansion), and searches names by the words run together (an
///   index range) and the everyday names (an index lookup); every match (at most every record) is
///   ranked, counted, and kept `limit + offset` at a time in the sorter, so no offset costs more
///   than ranking every match, and at most `limit` (100) records are decoded. A page past the end
///   runs again from the start for the count. A second statement matches the known uses (a few
///   hundred rows). Everyday queries: 0.1-0.6 ms (`sql` 0.2). Dearest accepted: the letter `s`,
///   4,958 matches: 14-25 ms on either page; the eight words that cost most together: 10-16 ms.
///   (Uncapped, 1,000 words took 17-27 s.)
/// - `serviceNames(for:)`, `unassignedPorts(transport:)`: one scan of every record, an answer of at
///   most 65,536 entries. 3-5 ms each; the API runs them once, when it starts.
/// - `metadata()`: one row. ~10 µs.
/// - `quickCheck()`: reads every page of the file (2.5 MB). ~7 ms, ~40 ms from a cold page cache.
/// Whatever the query, no statement runs past `statementBudget` (a search runs two, three past its last page): SQLite
/// interrupts it, and the query throws `RegistryError.queryTimedOut`.
public final class RegistryStore {
    /// Search pages hold at most this many records.
    public static let maximumSearchLimit = 100
    /// A search lists at most this many known uses: the knowledge table's few hundred rows
    /// hold a product's uses together, and a word shared by many (a vendor's) says little.
    public static let maximumKnownUseHits = 10
    public static let defaultSearchLimit = 20
    /// A statement's budget in a server (`--query-time-budget` sets the wall-clock backstop): ten
    /// to eighteen times the CPU time of the dearest statement measured (a search's page, above),
    /// so no legitimate query comes near it, whatever else the machine does; short enough that a
    /// runaway statement holds one of the API's few pooled stores, and a processor, for a quarter
    /// of a second at most. The wall-clock backstop is eight times that, for a thread that gets no
    /// processor at all.
    public static let defaultStatementBudget = TimeBudget(cpu: .milliseconds(250), wall: .seconds(2))

    public let database: Database
    /// What `Record(row:)` reads, in its order; IANA's empty fields as NULL.
    static let recordColumns = """
        r.id, nullif(r.service_name, ''), r.transport, r.port_first, r.port_last, nullif(r.description, ''),
        r.assignee_names, r.contact_names, nullif(r.registration_date, ''), nullif(r.modification_date, ''),
        r.reference_list, nullif(r.service_code, ''), nullif(r.unauthorized_use_reported, ''),
        nullif(r.assignment_notes, ''), r.status, r.source
        """
    /// How many columns `recordColumns` are: the search page's own columns follow them.
    static let recordColumnCount = 16
    /// ?1 port, ?2 transport or NULL, ?3 the widest range's span.
    private static let coveringPortSQL = """
        SELECT \(recordColumns) FROM records r INDEXED BY records_by_port
        WHERE r.port_first = ?1 AND r.port_last = ?1 AND (?2 IS NULL OR r.transport IS NULL OR r.transport = ?2)
        UNION ALL
        SELECT \(recordColumns) FROM records r INDEXED BY records_ranges
        WHERE r.port_last > r.port_first AND r.port_first BETWEEN ?1 - ?3 AND ?1 AND r.port_last >= ?1
          AND (?2 IS NULL OR r.transport IS NULL OR r.transport = ?2)
        ORDER BY 1
        """
    private static let namedSQL = "SELECT \(recordColumns) FROM records r WHERE r.service_folded = ? ORDER BY r.id"
    private static let knownUsesCoveringSQL = """
        SELECT \(KnownUse.columns) FROM known_uses k INDEXED BY known_uses_by_port
        WHERE k.port_first <= ?1 AND k.port_last >= ?1 AND (?2 IS NULL OR k.transport = ?2) ORDER BY k.id
        """
    private static let everydayNamesOfPortSQL = "SELECT \(EverydayName.columns) FROM everyday_names e WHERE e.port = ?1 ORDER BY e.id"
    /// How far the widest range row reaches beyond its first port: bounds the range scan.
    private let widestRange: Int
    private let coveringPort: Statement
    private let named: Statement
    private let searching: RegistrySearch
    private let knownUsesCovering: Statement
    private let everydayNamesOfPort: Statement

    /// How long any one statement may run before it is stopped; nil: as long as it takes.
    public let statementBudget: TimeBudget?

    /// Opens the registry database at `path` (`RegistryImage.load`: a regular file of this
    /// binary's schema), copied into memory, for a one-shot command: its statements run as long as
    /// they take.
    public convenience init(path: String) throws {
        let image = try RegistryLoad(budget: nil).image(fromDatabase: path)
        try self.init(name: path, budget: nil) { () throws(SQLiteError) in try image.connect(budget: nil) }
    }

    /// Opens a registry held in memory, read-only, each statement within `statementBudget` (nil:
    /// as long as it takes).
    public convenience init(image: RegistryImage, statementBudget: TimeBudget? = nil) throws {
        let budget = statementBudget.map { StatementBudget($0) }
        try self.init(name: "the registry in memory", budget: budget) { () throws(SQLiteError) in try image.connect(budget: budget) }
    }

    /// A store whose statements count against a load's budget (`RegistryLoad.store(of:)`).
    convenience init(image: RegistryImage, loadBudget: StatementBudget?) throws {
        try self.init(name: "the registry in memory", budget: loadBudget) { () throws(SQLiteError) in try image.connect(budget: loadBudget) }
    }

    private init(name: String, budget: StatementBudget?, open: () throws(SQLiteError) -> Database) throws {
        statementBudget = budget?.scope == .eachStatement ? budget?.budget : nil
        do {
            database = try open()
            // A search's grouping and unions build temporary b-trees: on a temporary file's pager each
            // first allocates a page cache of its own (some 90 KB, freed again: page faults on every
            // search); in memory they take pages as they fill. They hold at most every record.
            try database.execute("PRAGMA temp_store = MEMORY")
            try Migrator().requireCurrent(database)
        } catch let error as SQLiteError {
            throw RegistryError.notARegistry(path: name, reason: error.message)
        }
        guard try database.hasTable("registry_metadata"),
              try database.scalarText("SELECT count(*) FROM registry_metadata") == "1"
        else { throw RegistryError.incompleteDatabase(path: name) }
        widestRange = Int(try database.scalarText(
            "SELECT max(port_last - port_first) FROM records WHERE port_last > port_first") ?? "0") ?? 0
        coveringPort = try database.prepare(Self.coveringPortSQL)
        named = try database.prepare(Self.namedSQL)
        searching = try RegistrySearch(database)
        knownUsesCovering = try database.prepare(Self.knownUsesCoveringSQL)
        everydayNamesOfPort = try database.prepare(Self.everydayNamesOfPortSQL)
    }

    /// Every record whose port or range covers `port`, in registry order. With a transport, the
    /// records for that transport and those that name none (they hold for every transport).
    public func records(coveringPort port: Int, transport: Record.Transport? = nil) throws -> [Record] {
        try withinBudget {
            try coveringPort.bind(port, at: 1)
            try coveringPort.bind(transport?.rawValue, at: 2)
            try coveringPort.bind(widestRange, at: 3)
            return try coveringPort.rows(Record.init(row:))
        }
    }

    public func lookup(port: Int, transport: Record.Transport? = nil) throws -> PortLookup {
        PortLookup(port: port, records: try records(coveringPort: port, transport: transport))
    }

    /// Records whose service name is `name`, compared case-insensitively, in registry order.
    public func records(named name: String) throws -> [Record] {
        try withinBudget {
            try named.bind(name.lowercased(), at: 1)
            return try named.rows(Record.init(row:))
        }
    }

    /// Search over service names, descriptions and notes, and the names people use for services
    /// (RegistrySearch says how matches are found and ranked).
    public func search(_ query: SearchQuery, limit: Int = defaultSearchLimit, offset: Int = 0) throws -> SearchResults {
        precondition((1...Self.maximumSearchLimit).contains(limit) && offset >= 0, "callers validate limit and offset")
        return try withinBudget { try searching.results(for: query, limit: limit, offset: offset) }
    }

    /// The known uses of `port` that vendors document, in the order of knowledge/known-uses.csv;
    /// with a transport, those over it.
    public func knownUses(port: Int, transport: Record.Transport? = nil) throws -> [KnownUse] {
        try withinBudget {
            try knownUsesCovering.bind(port, at: 1)
            try knownUsesCovering.bind(transport?.rawValue, at: 2)
            return try knownUsesCovering.rows(KnownUse.init(row:))
        }
    }

    /// The everyday names that mean a service on `port`.
    public func everydayNames(port: Int) throws -> [EverydayName] {
        try withinBudget {
            try everydayNamesOfPort.bind(port, at: 1)
            return try everydayNamesOfPort.rows { EverydayName(row: $0) }
        }
    }

    /// For each port an IANA record names a service for, over `transport` (records naming no
    /// transport count for every one), the first such name in registry order: what a listener on
    /// that port is registered as. One pass over the records and one over the ports, however wide
    /// and many the ranges (a file may hold any).
    public func serviceNames(for transport: Record.Transport) throws -> [Int: String] {
        let statement = try database.prepare("""
            SELECT port_first, port_last, service_name FROM records
            WHERE source = 'iana' AND service_name <> '' AND port_first IS NOT NULL AND (transport IS NULL OR transport = ?)
            ORDER BY id
            """)
        try statement.bind(transport.rawValue, at: 1)
        var names: [Int: String] = [:]
        var unnamed = UnnamedPorts()
        for (first, last, name) in try withinBudget({ try statement.rows { ($0.int(at: 0), $0.int(at: 1), $0.text(at: 2)) } })
        where Self.isPortRange(first, last) {
            unnamed.take(first...last) { names[$0] = name }
        }
        return names
    }

    /// Whether each port (the index) is free to take: no assigned or reserved record covers it,
    /// IANA's or the site's own, over `transport` when given (records naming no transport count
    /// for every one). One pass over the records and one over the ports.
    public func unassignedPorts(transport: Record.Transport?) throws -> [Bool] {
        let statement = try database.prepare("""
            SELECT port_first, port_last FROM records
            WHERE status <> 'unassigned' AND port_first IS NOT NULL AND (?1 IS NULL OR transport IS NULL OR transport = ?1)
            """)
        try statement.bind(transport?.rawValue, at: 1)
        // How many records start at each port, less how many ended just before it.
        var starts = [Int](repeating: 0, count: PortLookup.validPorts.count + 1)
        for (first, last) in try withinBudget({ try statement.rows { ($0.int(at: 0), $0.int(at: 1)) } }) where Self.isPortRange(first, last) {
            starts[first] += 1
            starts[last + 1] -= 1
        }
        var covering = 0
        return PortLookup.validPorts.map { port in
            covering += starts[port]
            return covering == 0
        }
    }

    /// What a seed stores; a file may hold anything, and what is not a range of ports is no port's.
    private static func isPortRange(_ first: Int, _ last: Int) -> Bool {
        PortLookup.validPorts.contains(first) && PortLookup.validPorts.contains(last) && first <= last
    }

    public func metadata() throws -> RegistryMetadata {
        let statement = try database.prepare("SELECT \(RegistryMetadata.columns) FROM registry_metadata")
        guard let metadata = try withinBudget({ try statement.rows(RegistryMetadata.init(row:)) }).first else {
            throw RegistryError.incompleteDatabase(path: database.path)
        }
        return metadata
    }

    /// What the seed that made this registry changed in IANA's records since the one it
    /// replaced: the counts, and a page of the records, added, removed, then changed.
    public func changes(limit: Int, offset: Int) throws -> RegistryChangeList {
        let counts = try database.prepare("""
            SELECT count(*) FILTER (WHERE change = 'added'), count(*) FILTER (WHERE change = 'removed'),
                   count(*) FILTER (WHERE change = 'changed') FROM registry_changes
            """)
        let page = try database.prepare("""
            SELECT change, service_name, port_number, transport_protocol, description, fields FROM registry_changes
            ORDER BY position LIMIT ?1 OFFSET ?2
            """)
        try page.bind(limit, at: 1)
        try page.bind(offset, at: 2)
        return try withinBudget {
            RegistryChangeList(
                counts: try counts.rows { RegistryChanges(added: $0.int(at: 0), removed: $0.int(at: 1), changed: $0.int(at: 2)) }[0],
                entries: try page.rows(RegistryChange.init(row:)))
        }
    }

    /// The SHA-256 of what `changes` lists, whole, and of what the changes are from: what tells
    /// two registries' `/registry/changes` apart.
    public func changesSHA256() throws -> String {
        let rows = try database.prepare("""
            SELECT change, service_name, port_number, transport_protocol, description, coalesce(fields, '') FROM registry_changes
            ORDER BY position
            """)
        let previous = try database.prepare("SELECT coalesce(previous_csv_sha256, ''), coalesce(previous_newest_iana_date, '') FROM registry_metadata")
        var digest = SHA256()
        try withinBudget {
            for row in try previous.rows({ [$0.text(at: 0), $0.text(at: 1)] }) + rows.rows({ row in (0..<6).map { row.text(at: $0) } }) {
                // Each field ends in U+001F, which no field holds: no two lists digest alike.
                digest.update(Array(row.map { $0 + "\u{1F}" }.joined().utf8))
            }
        }
        return digest.finalize()
    }

    /// SQLite's `PRAGMA quick_check` of the whole file: nil when it finds nothing wrong, else what
    /// it found, for a health check to fail on: at most `quickCheckProblems` of SQLite's messages
    /// (one line each, such as "Page 37: btreeInitPage() returns error code 11"), or SQLite's error
    /// when the check cannot go on. It reads every page of the file (milliseconds: not for every
    /// request); pages this connection has cached are checked as they were first read, so a newly
    /// opened store checks the file as it is now.
    public func quickCheck() throws -> String? {
        let lines: [Substring]
        do {
            // One row per database checked (main here), its problems a line each.
            lines = try withinBudget {
                try database.prepare("PRAGMA quick_check(\(Self.quickCheckProblems + 1))").rows { $0.text(at: 0) }
            }.flatMap { $0.split(whereSeparator: \.isNewline) }
        } catch let error as SQLiteError where error.isCorruption {
            return error.message // a page too damaged for the check to go on
        }
        guard lines != ["ok"] else { return nil }
        let problems = lines.filter { !$0.hasPrefix("*** in database ") }
        var summary = problems.prefix(Self.quickCheckProblems).map(String.init)
        if problems.count > Self.quickCheckProblems { summary.append("and more") }
        return summary.joined(separator: "; ")
    }

    /// Enough of SQLite's messages to tell a damaged page from a damaged file, few enough for a log line.
    static let quickCheckProblems = 5

    /// Runs one query; a statement SQLite interrupted is one that ran past the budget.
    func withinBudget<Result>(_ query: () throws -> Result) throws -> Result {
        do {
            return try query()
        } catch let error as SQLiteError where error.wasInterrupted {
            guard let exceeded = error.exceeded else { throw error }
            throw RegistryError.queryTimedOut(budget: exceeded.budget, limit: exceeded.limit)
        }
    }

}
