/// How a search result matched, best first: search orders its results by this, then records
/// with ports before name-only ones (DNS-SD names), then by relevance. Records and known uses
/// share the scale: a known use ranks among records of its rank, after them.
public enum SearchRank: Int, Comparable, Sendable {
    /// The query is the record's service name, and the record has a port.
    case serviceName
    /// The query is an everyday name of the record's service (`dns` for `domain`), or a name of
    /// the known use (`kafka` for Apache Kafka).
    case everydayName
    /// The query is the service name of a record without a port: a DNS-SD name, which answers no
    /// "which port" question, so the ports an everyday name means come before it (`rdp`).
    case serviceNameWithoutPort
    /// The name starts with the query's words run together (`sun rpc` finds sunrpc, `postgres`
    /// postgresql), or is their initials while the record holds every word (`network file
    /// system` finds nfs).
    case nameStart
    /// The description, notes or use hold the query's words as a phrase.
    case phrase
    /// Every word of the query starts a word of the record (or known use), in any order.
    case words

    public static func < (lhs: SearchRank, rhs: SearchRank) -> Bool { lhs.rawValue < rhs.rawValue }
}
