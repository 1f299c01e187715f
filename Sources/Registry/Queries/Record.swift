/// One registry record as portinfo presents it (the Record of the design, ../shared/DESIGN.md): IANA's text with empty
/// fields as nil, brackets taken off references, and the status read from the description. A
/// record is IANA's, or a site's own assignment (`--site-ports`), kept apart and labelled.
public struct Record: Equatable, Sendable {
    /// Whose assignment a record is.
    public enum Source: String, Sendable {
        case iana, site
    }

    public enum Transport: String, CaseIterable, Sendable {
        case tcp, udp, sctp, dccp
    }

    public enum Status: String, Sendable {
        case assigned, reserved, unassigned
    }

    public struct Ports: Equatable, Sendable {
        public let first: Int
        public let last: Int
    }

    public let service: String?
    public let transport: Transport?
    /// nil for name-only rows (DNS-SD service names without a port).
    public let ports: Ports?
    public let description: String?
    public let assignee: String?
    public let contact: String?
    public let registered: String?
    public let modified: String?
    public let references: [String]
    public let serviceCode: String?
    public let unauthorizedUse: String?
    public let notes: String?
    public let status: Status
    public let source: Source

    /// The record a checked CSV row stands for: how a seed makes it, once.
    public init(_ row: IANARow, source: Source) {
        service = row.serviceName.nonEmpty
        transport = row.transport
        ports = row.ports.map { Ports(first: $0.lowerBound, last: $0.upperBound) }
        description = row.description.nonEmpty
        assignee = Self.unbracketed(row.assignee)
        contact = Self.unbracketed(row.contact)
        registered = row.registrationDate.nonEmpty
        modified = row.modificationDate.nonEmpty
        references = Self.splitReferences(row.reference)
        serviceCode = row.serviceCode.nonEmpty
        unauthorizedUse = row.unauthorizedUseReported.nonEmpty
        notes = row.assignmentNotes.nonEmpty
        status = Self.status(ofDescription: row.description)
        self.source = source
    }

    /// A record as a seed stored it (RegistryStore's record columns, in their order): read back as
    /// it is, never parsed again.
    init(row: Statement) {
        service = row.optionalText(at: 1)
        transport = row.optionalText(at: 2).flatMap(Transport.init(rawValue:))
        ports = row.optionalInt(at: 3).map { Ports(first: $0, last: row.int(at: 4)) }
        description = row.optionalText(at: 5)
        assignee = row.optionalText(at: 6)
        contact = row.optionalText(at: 7)
        registered = row.optionalText(at: 8)
        modified = row.optionalText(at: 9)
        references = row.optionalText(at: 10).map { $0.split(separator: Self.referenceSeparator).map(String.init) } ?? []
        serviceCode = row.optionalText(at: 11)
        unauthorizedUse = row.optionalText(at: 12)
        notes = row.optionalText(at: 13)
        status = Status(rawValue: row.text(at: 14)) ?? .assigned
        source = Source(rawValue: row.text(at: 15)) ?? .iana
    }

    /// What joins a record's references in its stored `reference_list` (none holds it).
    static let referenceSeparator: Character = "\u{1F}"

    /// "Unassigned…" or "Reserved…" (any case) say so; any other description is an assignment.
    public static func status(ofDescription description: String) -> Status {
        if description.utf8.starts(with: "unassigned".utf8, by: equalIgnoringASCIICase) { return .unassigned }
        if description.utf8.starts(with: "reserved".utf8, by: equalIgnoringASCIICase) { return .reserved }
        return .assigned
    }

    /// `byte` equals `lowercaseLetter` in either case.
    private static func equalIgnoringASCIICase(_ byte: UInt8, _ lowercaseLetter: UInt8) -> Bool {
        byte | 0x20 == lowercaseLetter
    }

    /// `[RFC1234][RFC5678]` -> ["RFC1234", "RFC5678"]; text that is not wholly bracketed is one reference.
    public static func splitReferences(_ field: String) -> [String] {
        guard !field.isEmpty else { return [] }
        return bracketedParts(field) ?? [field]
    }

    /// `[Jon_Postel]` -> "Jon_Postel", `[A][B]` -> "A, B"; other text is kept as written.
    static func unbracketed(_ field: String) -> String? {
        guard !field.isEmpty else { return nil }
        return bracketedParts(field)?.joined(separator: ", ") ?? field
    }

    /// The insides of `[a][b]…` when the field is exactly a run of bracketed parts, else nil.
    private static func bracketedParts(_ field: String) -> [String]? {
        var parts: [String] = []
        var rest = Substring(field)
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
            parts.append(String(rest[rest.index(after: rest.startIndex)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return parts
    }
}

extension String {
    /// nil for "", so that an empty CSV field becomes JSON null.
    public var nonEmpty: String? { isEmpty ? nil : self }
}
