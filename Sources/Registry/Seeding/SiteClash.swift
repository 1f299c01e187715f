import Basics

/// A site record that claims a port and transport IANA assigns to another service: reported by
/// the seed (it does not fail it), since a team may well have reused a port nobody uses locally.
public struct SiteClash: Equatable, Sendable, CustomStringConvertible {
    /// The site record's line in its file.
    public let line: Int
    public let siteService: String
    public let sitePorts: String
    public let transport: String
    public let ianaService: String
    public let ianaPorts: String
    /// nil when IANA's record names no transport (it holds for every one).
    public let ianaTransport: String?

    /// One line: the names come from files, escaped so that none can start a line of its own.
    public var description: String {
        "line \(line): \(PrintableText.escaping(siteService)) \(sitePorts)/\(transport) claims a port IANA assigns to "
            + "\(PrintableText.escaping(ianaService)) (\(PrintableText.escaping(ianaPorts))\(ianaTransport.map { "/\(PrintableText.escaping($0))" } ?? ""))"
    }
}

/// The clashes of a registry's site records, in the site file's order: at most `maximumListed`,
/// since each is a line in the log of every load, and whether there are more.
public struct SiteClashes: Equatable, Sendable {
    /// Enough for a site to see what it reused; a file that clashes more is told so in one line.
    public static let maximumListed = 100

    public let listed: [SiteClash]
    /// Whether clashes beyond those listed were found.
    public let more: Bool

    public static let none = SiteClashes(listed: [], more: false)

    /// A line for each clash listed, and one saying there are more, each after `prefix`.
    public func lines(prefix: String) -> [String] {
        listed.map { "\(prefix)\($0)" } + (more ? ["\(prefix)and more: only the first \(Self.maximumListed) clashes are listed"] : [])
    }

    /// Every site record overlapping an assigned IANA record of another name on a transport
    /// both hold; `lines` maps site record ids to their lines. Two index searches a site record
    /// (IANA's single ports in its range, and the ranges reaching into it), as a port lookup
    /// makes: linear in the site records, however many; it stops once it has found one more
    /// than it lists.
    static func find(in database: Database, lines: [Int: Int]) throws -> SiteClashes {
        guard !lines.isEmpty else { return .none }
        let widest = Int(try database.scalarText(
            "SELECT max(port_last - port_first) FROM records WHERE source = 'iana' AND port_last > port_first") ?? "0") ?? 0
        let site = try database.prepare("""
            SELECT id, service_name, port_number, transport, port_first, port_last, service_folded
            FROM records WHERE source = 'site' ORDER BY id
            """)
        // ?1-?2 the site record's ports, ?3 its transport, ?4 its folded name, ?5 the widest IANA range, ?6 how many.
        let claimed = try database.prepare("""
            SELECT * FROM (
                SELECT i.id, i.service_name, i.port_number, i.transport FROM records i INDEXED BY records_by_port
                WHERE i.port_first BETWEEN ?1 AND ?2 AND i.port_last = i.port_first
                  AND i.source = 'iana' AND i.status = 'assigned' AND i.service_folded IS NOT NULL
                  AND (i.transport IS NULL OR i.transport = ?3) AND i.service_folded <> ?4
                UNION ALL
                SELECT i.id, i.service_name, i.port_number, i.transport FROM records i INDEXED BY records_ranges
                WHERE i.port_last > i.port_first AND i.port_first BETWEEN ?1 - ?5 AND ?2 AND i.port_last >= ?1
                  AND i.source = 'iana' AND i.status = 'assigned' AND i.service_folded IS NOT NULL
                  AND (i.transport IS NULL OR i.transport = ?3) AND i.service_folded <> ?4
            ) ORDER BY 1 LIMIT ?6
            """)
        var listed: [SiteClash] = []
        defer { site.reset() }
        while try site.step() {
            try claimed.bind(site.int(at: 4), at: 1)
            try claimed.bind(site.int(at: 5), at: 2)
            try claimed.bind(site.text(at: 3), at: 3)
            try claimed.bind(site.text(at: 6), at: 4)
            try claimed.bind(widest, at: 5)
            try claimed.bind(maximumListed + 1 - listed.count, at: 6)
            listed += try claimed.rows {
                SiteClash(line: lines[site.int(at: 0)] ?? 0, siteService: site.text(at: 1), sitePorts: site.text(at: 2),
                          transport: site.text(at: 3), ianaService: $0.text(at: 1), ianaPorts: $0.text(at: 2),
                          ianaTransport: $0.optionalText(at: 3))
            }
            if listed.count > maximumListed { return SiteClashes(listed: Array(listed.prefix(maximumListed)), more: true) }
        }
        return SiteClashes(listed: listed, more: false)
    }
}
