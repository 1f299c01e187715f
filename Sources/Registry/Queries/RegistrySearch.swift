/// The registry's search, on one connection: its two statements, prepared once, and the names
/// of the known uses. A record matches when every word of the query starts a word of it, when its
/// name starts with the words run together, or when the query is an everyday name of its
/// service; ranked by SearchRank, then records with ports first, then by relevance. Beside the
/// page, the known uses the query matches the same ways (their product, other names, use and
/// vendor). What it costs is in RegistryStore's header.
struct RegistrySearch {
    /// A page of the records a search finds (?6 at most, from ?7 on), each with its rank
    /// (SearchRank's raw values), the everyday name it was found through, and how many records
    /// match in all. A record matches when it holds every word (?1: its relevance), when its name
    /// starts with the words run together (?3), or when ?3 is an everyday name of its service.
    /// Each record comes from one of the three, so nothing is grouped: the word matches (FTS5,
    /// the most) first, then the names and everyday names the words missed (index searches).
    /// Whether a match holds the words as a phrase (?5) is a probe into that query's rows, which
    /// are among the word matches. The rank takes ?2 the text as a name and ?4 the words' initials.
    private static let pageSQL = """
        WITH words(id, score) AS (
            SELECT rowid, bm25(records_fts, 10.0, 2.0, 1.0) FROM records_fts WHERE records_fts MATCH ?1
        ),
        everyday(id, record, name_start) AS (
            SELECT max(e.id), r.id, r.service_joined >= ?3 AND r.service_joined < ?3 || char(1114111)
            FROM everyday_names e INDEXED BY everyday_names_by_joined
            JOIN records r INDEXED BY records_by_service ON r.service_folded = e.service AND r.port_first <= e.port AND r.port_last >= e.port
            WHERE e.name_joined = ?3 GROUP BY r.id
        ),
        matched(id, score, everyday, phrase) AS (
            SELECT w.id, w.score, CASE WHEN EXISTS (SELECT 1 FROM everyday) THEN (SELECT v.id FROM everyday v WHERE v.record = w.id) END,
                   w.id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?5)
            FROM words w
            UNION ALL
            SELECT n.id, NULL, CASE WHEN EXISTS (SELECT 1 FROM everyday) THEN (SELECT v.id FROM everyday v WHERE v.record = n.id) END, 0
            FROM records n INDEXED BY records_by_joined_name
            WHERE n.service_joined >= ?3 AND n.service_joined < ?3 || char(1114111) AND n.id NOT IN (SELECT id FROM words)
            UNION ALL
            SELECT v.record, NULL, v.id, 0 FROM everyday v WHERE NOT v.name_start AND v.record NOT IN (SELECT id FROM words)
        )
        SELECT \(RegistryStore.recordColumns), CASE
                WHEN r.service_folded = ?2 AND r.port_first IS NOT NULL THEN 0
                WHEN m.everyday IS NOT NULL THEN 1
                WHEN r.service_folded = ?2 THEN 2
                WHEN r.service_joined >= ?3 AND r.service_joined < ?3 || char(1114111) THEN 3
                WHEN m.score IS NOT NULL AND r.service_folded = ?4 THEN 3
                WHEN m.phrase THEN 4
                ELSE 5 END AS rank, (SELECT count(*) FROM matched), e.id, \(EverydayName.columns)
        FROM matched m JOIN records r ON r.id = m.id LEFT JOIN everyday_names e ON e.id = m.everyday
        ORDER BY rank, r.port_first IS NULL, CASE WHEN rank = 3 THEN length(r.service_joined) END, coalesce(m.score, 0), r.id
        LIMIT ?6 OFFSET ?7
        """
    /// The known uses a search finds: ?1 every word, ?3 the words as a phrase, ?5 those with a name
    /// starting with ?2, the words run together (KnownUseNames); at most ?4, best first
    /// (SearchRank's raw values).
    private static let knownUsesSQL = """
        WITH hits(id, phrase) AS (
            SELECT rowid, 0 FROM known_uses_fts WHERE known_uses_fts MATCH ?1
            UNION ALL
            SELECT rowid, 1 FROM known_uses_fts WHERE known_uses_fts MATCH ?3
            UNION ALL
            SELECT value, 0 FROM json_each(?5)
        ),
        matched AS (SELECT id, max(phrase) AS phrase FROM hits GROUP BY id)
        SELECT \(KnownUse.columns), CASE
                WHEN instr(k.names_joined, ' ' || ?2 || ' ') > 0 THEN 1
                WHEN instr(k.names_joined, ' ' || ?2) > 0 THEN 3
                WHEN m.phrase THEN 4
                ELSE 5 END AS rank
        FROM matched m JOIN known_uses k ON k.id = m.id
        ORDER BY rank, k.id LIMIT ?4
        """
    private let page: Statement
    private let knownUses: Statement
    private let knownUseNames: KnownUseNames

    init(_ database: Database) throws {
        page = try database.prepare(Self.pageSQL)
        knownUses = try database.prepare(Self.knownUsesSQL)
        knownUseNames = try KnownUseNames(database)
    }

    /// A page of `limit` records from `offset` on, the total, and the known uses.
    func results(for query: SearchQuery, limit: Int, offset: Int) throws -> SearchResults {
        guard let match = query.ftsQuery, let phrase = query.ftsPhrase else { return SearchResults(total: 0, hits: [], knownUses: []) }
        let joined = query.joinedWords
        var (hits, total) = try records(match: match, phrase: phrase, query: query, limit: limit, offset: offset)
        // A page past the last match has no row to carry the total: the first page's gives it.
        if hits.isEmpty && offset > 0 {
            total = try records(match: match, phrase: phrase, query: query, limit: 1, offset: 0).total
        }
        try knownUses.bind(match, at: 1)
        try knownUses.bind(joined, at: 2)
        try knownUses.bind(phrase, at: 3)
        try knownUses.bind(RegistryStore.maximumKnownUseHits, at: 4)
        try knownUses.bind(knownUseNames.ids(namedFrom: joined), at: 5)
        let uses = try knownUses.rows { row in
            KnownUseHit(knownUse: try KnownUse(row: row), rank: SearchRank(rawValue: row.int(at: KnownUse.columnCount))!)
        }
        return SearchResults(total: total, hits: hits, knownUses: uses)
    }

    /// One run of the page statement: its records, and how many match in all (0 when the page is empty).
    private func records(match: String, phrase: String, query: SearchQuery, limit: Int, offset: Int) throws -> (hits: [RecordHit], total: Int) {
        try page.bind(match, at: 1)
        try page.bind(query.serviceName, at: 2)
        try page.bind(query.joinedWords, at: 3)
        try page.bind(query.initials, at: 4)
        try page.bind(phrase, at: 5)
        try page.bind(limit, at: 6)
        try page.bind(offset, at: 7)
        let rankColumn = Int32(RegistryStore.recordColumnCount)
        var total = 0
        let hits = try page.rows { row in
            total = row.int(at: rankColumn + 1)
            return RecordHit(record: Record(row: row), rank: SearchRank(rawValue: row.int(at: rankColumn))!,
                             everydayName: row.optionalInt(at: rankColumn + 2).map { _ in EverydayName(row: row, from: rankColumn + 3) })
        }
        return (hits, total)
    }
}
