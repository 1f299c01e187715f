/// Loads the knowledge tables into a registry being built: the everyday names and known uses,
/// each with the forms search compares, and the known uses' search index.
struct KnowledgeInsertion {
    let everydayName: Statement
    let knownUse: Statement
    let database: Database

    init(_ database: Database) throws {
        self.database = database
        everydayName = try database.prepare(
            "INSERT INTO everyday_names (id, name, name_joined, service, port, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        knownUse = try database.prepare("""
            INSERT INTO known_uses (id, product, names, names_joined, use, transport, port_first, port_last, vendor, url)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """)
    }

    func add(_ knowledge: Knowledge) throws {
        for (index, name) in knowledge.everydayNames.enumerated() {
            try everydayName.bind(index + 1, at: 1)
            try everydayName.bind(name.name, at: 2)
            try everydayName.bind(SearchQuery.joined(name.name), at: 3)
            try everydayName.bind(name.service, at: 4)
            try everydayName.bind(name.port, at: 5)
            try everydayName.bind(name.source, at: 6)
            try everydayName.run()
        }
        for (index, use) in knowledge.knownUses.enumerated() {
            try knownUse.bind(index + 1, at: 1)
            try knownUse.bind(use.product, at: 2)
            try knownUse.bind(use.names.joined(separator: String(KnownUse.nameSeparator)), at: 3)
            // ' apachekafka kafka ': a name is ' NAME ', a name's start ' START.
            try knownUse.bind(" " + ([use.product] + use.names).map(SearchQuery.joined).joined(separator: " ") + " ", at: 4)
            try knownUse.bind(use.use, at: 5)
            try knownUse.bind(use.transport.rawValue, at: 6)
            try knownUse.bind(use.ports.first, at: 7)
            try knownUse.bind(use.ports.last, at: 8)
            try knownUse.bind(use.vendor, at: 9)
            try knownUse.bind(use.url, at: 10)
            try knownUse.run()
        }
        try database.execute("INSERT INTO known_uses_fts (known_uses_fts) VALUES ('rebuild')")
    }
}
