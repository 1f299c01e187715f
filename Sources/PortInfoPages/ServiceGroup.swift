import Registry

/// The records of one service on one port or range, its transports merged: how pages show a
/// service once ("ipcserver, TCP and UDP") where the registry has a row per transport. Rows
/// whose details differ from the first (ftp's SCTP row has its own assignee) are kept as
/// variants, shown beside it.
struct ServiceGroup {
    let first: Record
    private(set) var transports: [Record.Transport] = []
    /// Rows of other transports whose details are not the first row's.
    private(set) var variants: [Record] = []

    var name: String? { first.service }
    var ports: Record.Ports? { first.ports }

    /// Groups `records` in registry order: rows alike but for their transport are one group.
    static func grouping(_ records: [Record]) -> [ServiceGroup] {
        var groups: [ServiceGroup] = []
        for record in records {
            if let index = groups.firstIndex(where: { $0.holds(record) }) {
                if let transport = record.transport, !groups[index].transports.contains(transport) {
                    groups[index].transports.append(transport)
                }
                if !groups[index].first.hasDetails(of: record) { groups[index].variants.append(record) }
            } else {
                groups.append(ServiceGroup(first: record, transports: record.transport.map { [$0] } ?? []))
            }
        }
        return groups
    }

    private func holds(_ record: Record) -> Bool {
        record.service?.lowercased() == first.service?.lowercased() && record.ports == first.ports
            && record.source == first.source && record.status == first.status
            && (first.service != nil || first.hasDetails(of: record))
    }

    /// "TCP and UDP", "TCP, UDP and SCTP"; "every transport" when the registry names none.
    var transportText: String {
        Self.list(transports.map { $0.rawValue.uppercased() }) ?? "every transport"
    }

    /// "6000–6063", "600"; nil for a name without a port.
    var portText: String? {
        ports.map { $0.first == $0.last ? "\($0.first)" : "\($0.first)–\($0.last)" }
    }

    /// "a", "a and b", "a, b and c"; nil for none.
    static func list(_ items: [String]) -> String? {
        switch items.count {
        case 0: nil
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }
}

extension Record {
    /// Whether `other` says nothing this record does not: the same text in every field but its transport.
    func hasDetails(of other: Record) -> Bool {
        description == other.description && assignee == other.assignee && contact == other.contact
            && registered == other.registered && modified == other.modified && references == other.references
            && serviceCode == other.serviceCode && unauthorizedUse == other.unauthorizedUse && notes == other.notes
    }
}
