/// One IANA registry record as portinfo presents it (DESIGN.md's Record): IANA's text with
/// empty fields as nil, brackets taken off references, and the status read from the description.
public struct Record: Equatable, Sendable {
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

    public init(_ row: IANARow) {
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
    }

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
