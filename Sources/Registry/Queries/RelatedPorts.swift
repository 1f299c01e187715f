import Glibc

/// A port related to another, and why: what a port page lists under "Related ports".
public struct RelatedPort: Equatable, Sendable {
    public let port: Int
    /// The service IANA registers on it that the relation is about.
    public let service: String
    public let description: String?
    /// Why it is related, strongest first: "same assignee (Bill_Schiefelbein)", "also in RFC 1057", …
    public let reasons: [String]
}

/// Related ports, from the registry's data alone: the same assignee or contact, the same RFC,
/// notes that name a port or service, names that share a stem, and distinctive words shared in
/// descriptions, weighted by how rare they are. Each finding adds to a port's score; the best
/// `RelatedPorts.maximumCount` ports are kept, with the reasons that scored most.
extension RegistryStore {
    public func relatedPorts(to port: Int, records: [Record]) throws -> [RelatedPort] {
        let own = records.filter { $0.source == .iana && $0.service != nil && $0.status == .assigned }
        guard !own.isEmpty else { return [] }
        var scores = RelatedScores(excluding: port, records: own)
        try withinBudget {
            try addSamePeople(own, to: &scores)
            try addSameReferences(own, to: &scores)
            try addNamedInNotes(own, port: port, to: &scores)
            try addSharedStems(own, to: &scores)
            try addSharedWords(own, to: &scores)
        }
        return scores.best(RelatedPorts.maximumCount)
    }

    private func addSamePeople(_ own: [Record], to scores: inout RelatedScores) throws {
        let assignees = Set(own.compactMap(\.assignee)), contacts = Set(own.compactMap(\.contact))
        guard !assignees.isEmpty || !contacts.isEmpty else { return }
        // Stored as IANA writes them, brackets and all: compared so.
        let people = Array(Set((assignees.union(contacts)).flatMap { [$0, RelatedPorts.bracketed($0)] }))
        let list = RelatedPorts.placeholders(people.count)
        let statement = try database.prepare("""
            SELECT port_first, service_name, description, assignee, contact,
                   count(*) OVER (PARTITION BY assignee), count(*) OVER (PARTITION BY contact)
            FROM records
            WHERE source = 'iana' AND status = 'assigned' AND port_first IS NOT NULL AND service_name <> ''
              AND (assignee IN (\(list)) OR contact IN (\(list)))
            """)
        for (index, person) in people.enumerated() { try statement.bind(person, at: Int32(index + 1)) }
        for (port, service, description, assignee, contact, byAssignee, byContact) in try statement.rows({
            ($0.int(at: 0), $0.text(at: 1), $0.optionalText(at: 2), $0.text(at: 3), $0.text(at: 4), $0.int(at: 5), $0.int(at: 6))
        }) {
            // Someone who registered dozens of ports (IANA, the IESG, a protocol's editor for all
            // its transports) says little about any one of them.
            if let person = Record.unbracketed(assignee), assignees.contains(person), byAssignee <= RelatedPorts.commonLimit {
                scores.add(port, service, description, 3 / Double(byAssignee).squareRoot(), "same assignee (\(person))")
            } else if let person = Record.unbracketed(contact), contacts.contains(person), byContact <= RelatedPorts.commonLimit {
                scores.add(port, service, description, 2 / Double(byContact).squareRoot(), "same contact (\(person))")
            }
        }
    }

    private func addSameReferences(_ own: [Record], to scores: inout RelatedScores) throws {
        let references = Set(own.flatMap(\.references)).filter { $0.hasPrefix("RFC") }
        guard !references.isEmpty else { return }
        let statement = try database.prepare("""
            SELECT r.port_first, r.service_name, r.description, x.reference,
                   count(*) OVER (PARTITION BY x.reference) AS sharing
            FROM record_references x JOIN records r ON r.id = x.record_id
            WHERE x.reference IN (\(RelatedPorts.placeholders(references.count)))
              AND r.source = 'iana' AND r.status = 'assigned' AND r.port_first IS NOT NULL AND r.service_name <> ''
            """)
        for (index, reference) in references.sorted().enumerated() { try statement.bind(reference, at: Int32(index + 1)) }
        for (port, service, description, reference, sharing) in try statement.rows({
            ($0.int(at: 0), $0.text(at: 1), $0.optionalText(at: 2), $0.text(at: 3), $0.int(at: 4))
        }) where sharing <= RelatedPorts.commonLimit {
            let rfc = "RFC " + reference.dropFirst(3)
            scores.add(port, service, description, 4.0 / Double(sharing).squareRoot(), "also in \(rfc)")
        }
    }

    /// Ports this port's notes name ("see port 80", "previously …"), and records whose notes name
    /// this port or its service.
    private func addNamedInNotes(_ own: [Record], port: Int, to scores: inout RelatedScores) throws {
        for number in own.compactMap(\.notes).flatMap(RelatedPorts.portsNamed) where number != port {
            let named = try records(coveringPort: number).filter { $0.source == .iana && $0.status == .assigned && $0.service != nil }
            if let record = named.first {
                scores.add(number, record.service!, record.description, 5, "named in port \(port)'s notes")
            }
        }
        let names = Set(own.compactMap(\.service).map { $0.lowercased() }).filter { $0.count >= 3 }
        let phrases = ["\"\(port)\""] + names.map { "\"" + $0.filter { $0 != "\"" } + "\"" }
        let statement = try database.prepare("""
            SELECT r.port_first, r.service_name, r.description FROM records_fts f JOIN records r ON r.id = f.rowid
            WHERE records_fts MATCH ?1 AND r.source = 'iana' AND r.status = 'assigned' AND r.port_first IS NOT NULL
              AND r.service_name <> ''
            LIMIT 50
            """)
        try statement.bind("assignment_notes : (\(phrases.joined(separator: " OR ")))", at: 1)
        for (other, service, description) in try statement.rows({ ($0.int(at: 0), $0.text(at: 1), $0.optionalText(at: 2)) }) {
            scores.add(other, service, description, 4, "its notes name port \(port) or its service")
        }
    }

    /// Names that extend this port's (nfs, nfsrdma), and names this port's extends.
    private func addSharedStems(_ own: [Record], to scores: inout RelatedScores) throws {
        let extending = try database.prepare("""
            SELECT port_first, service_name, description FROM records
            WHERE service_folded >= ?1 AND service_folded < ?1 || '~' AND service_folded <> ?1
              AND source = 'iana' AND status = 'assigned' AND port_first IS NOT NULL
            LIMIT 40
            """)
        let extended = try database.prepare("""
            SELECT port_first, service_name, description FROM records
            WHERE service_folded = ?1 AND source = 'iana' AND status = 'assigned' AND port_first IS NOT NULL
            """)
        for name in Set(own.compactMap(\.service).map { $0.lowercased() }) where name.count >= 3 {
            try extending.bind(name, at: 1)
            for (port, service, description) in try extending.rows({ ($0.int(at: 0), $0.text(at: 1), $0.optionalText(at: 2)) }) {
                scores.add(port, service, description, 3, "name starts with \(name)")
            }
            for length in stride(from: name.count - 1, through: 3, by: -1) {
                let stem = String(name.prefix(length))
                try extended.bind(stem, at: 1)
                for (port, service, description) in try extended.rows({ ($0.int(at: 0), $0.text(at: 1), $0.optionalText(at: 2)) }) {
                    scores.add(port, service, description, 3, "\(name) starts with its name")
                }
            }
        }
    }

    /// Rare words of this port's descriptions that other descriptions share, each weighted by how
    /// few records hold it (log N/n, the inverse document frequency).
    private func addSharedWords(_ own: [Record], to scores: inout RelatedScores) throws {
        let words = Set(own.compactMap(\.description).flatMap(RelatedPorts.words))
        guard !words.isEmpty else { return }
        let frequency = try database.prepare("""
            SELECT (SELECT count(*) FROM records_fts WHERE records_fts MATCH ?1), (SELECT count(*) FROM records)
            """)
        let matching = try database.prepare("""
            SELECT r.port_first, r.service_name, r.description FROM records_fts f JOIN records r ON r.id = f.rowid
            WHERE records_fts MATCH ?1 AND r.source = 'iana' AND r.status = 'assigned' AND r.port_first IS NOT NULL
              AND r.service_name <> ''
            LIMIT 60
            """)
        for word in words.sorted().prefix(RelatedPorts.maximumWords) {
            let match = "description : \"\(word)\""
            try frequency.bind(match, at: 1)
            guard let (holding, total) = try frequency.rows({ ($0.int(at: 0), $0.int(at: 1)) }).first,
                  holding > 1, holding <= RelatedPorts.rareWordLimit
            else { continue }
            let weight = log(Double(total) / Double(holding)) / 2
            try matching.bind(match, at: 1)
            for (port, service, description) in try matching.rows({ ($0.int(at: 0), $0.text(at: 1), $0.optionalText(at: 2)) }) {
                scores.add(port, service, description, weight, "shares \"\(word)\"")
            }
        }
    }
}

/// The tally of candidate ports.
private struct RelatedScores {
    struct Candidate {
        var service: String
        var description: String?
        var score = 0.0
        var reasons: [String: Double] = [:]
    }

    let excluded: Int
    let ownServices: Set<String>
    var candidates: [Int: Candidate] = [:]

    init(excluding port: Int, records: [Record]) {
        excluded = port
        ownServices = Set(records.compactMap { $0.service?.lowercased() })
    }

    mutating func add(_ port: Int, _ service: String, _ description: String?, _ weight: Double, _ reason: String) {
        guard port != excluded, !ownServices.contains(service.lowercased()) else { return }
        var candidate = candidates[port] ?? Candidate(service: service, description: description)
        // A reason counts once for a port, however many of its rows give it.
        guard candidate.reasons[reason] == nil else { return }
        candidate.reasons[reason] = weight
        candidate.score += weight
        candidates[port] = candidate
    }

    func best(_ count: Int) -> [RelatedPort] {
        candidates.sorted { $0.value.score != $1.value.score ? $0.value.score > $1.value.score : $0.key < $1.key }
            .prefix(count)
            .map { port, candidate in
                RelatedPort(port: port, service: candidate.service, description: candidate.description,
                            reasons: candidate.reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                                .prefix(3).map(\.key))
            }
    }
}

public enum RelatedPorts {
    /// At most this many related ports: a page shows them all.
    public static let maximumCount = 8
    /// Descriptions are short; their first words by this count bound the queries a page costs.
    static let maximumWords = 8
    /// A word more records hold than this says nothing distinctive ("protocol", "server").
    static let rareWordLimit = 20
    /// A person or an RFC behind more ports than this relates none of them in particular.
    static let commonLimit = 15

    /// Words of a description worth comparing: letters only, five or more of them.
    static func words(of text: String) -> [String] {
        text.lowercased().split { !$0.isLetter }.map(String.init).filter { $0.count >= 5 }
    }

    /// Port numbers a note names: "port 80", "ports 80 and 443", "see 8080/tcp".
    static func portsNamed(in notes: String) -> [Int] {
        let tokens = notes.lowercased().split { !$0.isLetter && !$0.isNumber }
        var ports: [Int] = []
        for (index, token) in tokens.enumerated() where token == "port" || token == "ports" {
            for next in tokens[(index + 1)...].prefix(4) {
                if let number = PortLookup.port(fromDecimal: next), next.count <= 5 { ports.append(number) }
            }
        }
        return ports
    }

    /// `[A][B]` for "A, B": a person field as the CSV writes it (Record takes the brackets off).
    static func bracketed(_ people: String) -> String {
        "[" + people.split(separator: ", ").joined(separator: "][") + "]"
    }

    /// `?, ?, ?` for an IN list of `count` values, bound from 1.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
