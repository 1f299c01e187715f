/// Builds a registry in memory from a SeedInput: IANA's rows checked once and stored with their
/// presentation decoded, the site's rows beside them, the search index, the metadata; what
/// changed since a previous registry; which site rows claim a port IANA assigns to another
/// service. `Seeder` writes the result to a file; a server may serve it as it is.
struct RegistryBuilder {
    let input: SeedInput

    struct Built {
        let image: RegistryImage
        let metadata: RegistryMetadata
        let changes: RegistryChanges?
        let clashes: SiteClashes
    }

    /// `previous`, the registry the new one replaces, is what the changes are measured from.
    func build(comparingWith previous: RegistryImage?) throws -> Built {
        let knowledge: Knowledge
        do { knowledge = try Knowledge.builtIn() } catch {
            throw RegistryError.seedFailed(path: input.source, reason: "the built-in knowledge tables are broken: \(error)")
        }
        let image = try RegistryImage()
        let database = image.owner
        try database.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536")
        try Migrator().migrate(database)
        let (metadata, siteLines) = try database.transaction { () throws -> (RegistryMetadata, [Int: Int]) in
            let insert = try RecordInsertion(database)
            var count = 0
            try forEachIANARow { row in
                count += 1
                try insert.add(Record(row, source: .iana), row: row, id: count)
            }
            var siteLines: [Int: Int] = [:] // record id -> line in the site file
            for row in input.sitePorts?.rows ?? [] {
                count += 1
                siteLines[count] = row.line
                try insert.add(Record(row, source: .site), row: row, id: count)
            }
            try database.execute("INSERT INTO records_fts (records_fts) VALUES ('rebuild')")
            try KnowledgeInsertion(database).add(knowledge)
            return (try insertMetadata(into: database, recordCount: count, knowledge: knowledge), siteLines)
        }
        try verify(database, expectedRecords: metadata.recordCount)
        var changes: RegistryChanges?
        var withPrevious = metadata
        if let previous {
            (changes, withPrevious) = try RegistryChanges.record(in: database, since: previous)
        }
        return Built(image: image, metadata: withPrevious, changes: changes, clashes: try SiteClashes.find(in: database, lines: siteLines))
    }

    /// IANA's data rows, each checked (`IANARow`), after a header that must be IANA's.
    private func forEachIANARow(_ body: (IANARow) throws -> Void) throws {
        var reader = CSVReader(MemoryStream(input.csv))
        func next() throws -> CSVRecord? {
            do { return try reader.next() } catch let error as CSVError {
                throw RegistryError.invalidCSV(source: input.origin, error: error)
            }
        }
        guard let header = try next() else { throw RegistryError.emptyCSV(source: input.origin) }
        do throws(CSVError) { try IANARow.checkHeader(header) } catch { throw RegistryError.invalidCSV(source: input.origin, error: error) }
        while let record = try next() {
            let row: IANARow
            do throws(CSVError) { row = try IANARow(record) } catch { throw RegistryError.invalidCSV(source: input.origin, error: error) }
            try body(row)
        }
    }

    private func insertMetadata(into database: Database, recordCount: Int, knowledge: Knowledge) throws -> RegistryMetadata {
        let insert = try database.prepare("""
            INSERT INTO registry_metadata (id, source, csv_sha256, imported_at, record_count, newest_iana_date,
                site_source, site_sha256, site_record_count, knowledge_sha256)
            SELECT 1, ?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?3,
                   nullif(max(max(registration_date), max(modification_date)), ''), ?4, ?5, ?6, ?7
            FROM records WHERE source = 'iana'
            RETURNING \(RegistryMetadata.columns)
            """)
        try insert.bind(input.source, at: 1)
        try insert.bind(input.csvSHA256, at: 2)
        try insert.bind(recordCount, at: 3)
        try insert.bind(input.sitePorts?.name, at: 4)
        try insert.bind(input.sitePorts?.sha256, at: 5)
        try insert.bind(input.sitePorts?.rows.count ?? 0, at: 6)
        try insert.bind(knowledge.sha256, at: 7)
        return try insert.rows(RegistryMetadata.init(row:))[0]
    }

    /// The new registry must hold every record it was given, and a search index that matches them.
    private func verify(_ database: Database, expectedRecords: Int) throws {
        try database.execute("INSERT INTO records_fts (records_fts) VALUES ('integrity-check')")
        try database.execute("INSERT INTO known_uses_fts (known_uses_fts) VALUES ('integrity-check')")
        let stored = try database.scalarText("SELECT count(*) FROM records")
        guard stored == String(expectedRecords) else {
            throw RegistryError.seedFailed(path: input.source, reason: "the new registry holds \(stored ?? "no") records, expected \(expectedRecords)")
        }
    }
}

/// The prepared inserts of one record: its row, IANA's columns verbatim and the derived ones,
/// and its references.
struct RecordInsertion {
    let record: Statement
    let reference: Statement

    init(_ database: Database) throws {
        record = try database.prepare("""
            INSERT INTO records (id, service_name, port_number, transport_protocol, description, assignee, contact,
                registration_date, modification_date, reference, service_code, unauthorized_use_reported,
                assignment_notes, service_folded, transport, port_first, port_last, status, source,
                assignee_names, contact_names, reference_list, service_joined)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)
            """)
        reference = try database.prepare("INSERT INTO record_references (record_id, position, reference) VALUES (?, ?, ?)")
    }

    func add(_ stored: Record, row: IANARow, id: Int) throws {
        try record.bind(id, at: 1)
        for (index, field) in row.fields.enumerated() {
            try record.bind(field, at: Int32(index + 2))
        }
        try record.bind(stored.service?.lowercased(), at: 14)
        try record.bind(stored.transport?.rawValue, at: 15)
        try record.bind(stored.ports?.first, at: 16)
        try record.bind(stored.ports?.last, at: 17)
        try record.bind(stored.status.rawValue, at: 18)
        try record.bind(stored.source.rawValue, at: 19)
        try record.bind(stored.assignee, at: 20)
        try record.bind(stored.contact, at: 21)
        try record.bind(stored.references.isEmpty ? nil : stored.references.joined(separator: String(Record.referenceSeparator)), at: 22)
        try record.bind(stored.service.map(SearchQuery.joined), at: 23)
        try record.run()
        for (position, text) in stored.references.enumerated() {
            try reference.bind(id, at: 1)
            try reference.bind(position + 1, at: 2)
            try reference.bind(text, at: 3)
            try reference.run()
        }
    }
}
