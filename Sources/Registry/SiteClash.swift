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

    public var description: String {
        "line \(line): \(siteService) \(sitePorts)/\(transport) claims a port IANA assigns to \(ianaService) "
            + "(\(ianaPorts)\(ianaTransport.map { "/\($0)" } ?? ""))"
    }

    /// Every site record overlapping an assigned IANA record of another name on a transport
    /// both hold; `lines` maps site record ids to their lines.
    static func find(in database: Database, lines: [Int: Int]) throws -> [SiteClash] {
        guard !lines.isEmpty else { return [] }
        return try database.prepare("""
            SELECT s.id, s.service_name, s.port_number, s.transport, i.service_name, i.port_number, i.transport
            FROM records s JOIN records i
              ON i.source = 'iana' AND i.status = 'assigned' AND i.service_folded IS NOT NULL
             AND i.port_first <= s.port_last AND i.port_last >= s.port_first
             AND (i.transport IS NULL OR i.transport = s.transport) AND i.service_folded <> s.service_folded
            WHERE s.source = 'site'
            ORDER BY s.id, i.id
            """).rows {
            SiteClash(line: lines[$0.int(at: 0)] ?? 0, siteService: $0.text(at: 1), sitePorts: $0.text(at: 2),
                      transport: $0.text(at: 3), ianaService: $0.text(at: 4), ianaPorts: $0.text(at: 5),
                      ianaTransport: $0.optionalText(at: 6))
        }
    }
}
