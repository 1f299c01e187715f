/// Everything portinfo says of a port: IANA's records (the lookup), and beside them what portinfo
/// finds from them and from its own tables, labelled apart: related ports, everyday names of its
/// services, and vendor-documented uses outside IANA's assignments.
public struct PortReport: Equatable, Sendable {
    public let lookup: PortLookup
    public let related: [RelatedPort]
    public let everydayNames: [EverydayName]
    public let knownUses: [KnownUse]
}

extension RegistryStore {
    /// The report on `port`: what `/ports/{port}` answers, as JSON or as a page.
    public func report(port: Int, transport: Record.Transport? = nil) throws -> PortReport {
        let lookup = try lookup(port: port, transport: transport)
        return PortReport(lookup: lookup, related: try relatedPorts(to: port, records: lookup.records),
                          everydayNames: try everydayNames(port: port), knownUses: try knownUses(port: port, transport: transport))
    }
}
