/// RFC 6335's three port ranges.
public enum PortRange: String, Sendable, Encodable {
    case system, user, dynamic

    public init(port: Int) {
        switch port {
        case ..<1024: self = .system
        case ..<49152: self = .user
        default: self = .dynamic
        }
    }
}

/// What the registry says of one port: every record covering it, and the status they add up to.
public struct PortLookup: Equatable, Sendable, Encodable {
    public static let validPorts = 0...65535

    /// A port written as decimal digits (leading zeros allowed), within 0...65535; else nil.
    public static func port(fromDecimal text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let significant = text.drop { $0 == "0" }
        guard significant.count <= 5 else { return nil }
        return Int(significant.isEmpty ? "0" : String(significant)).flatMap { validPorts.contains($0) ? $0 : nil }
    }

    /// The message for a port that `port(fromDecimal:)` refused, the same in the CLI and the API.
    public static func invalidPortMessage(_ text: some StringProtocol) -> String {
        "port must be an integer from 0 to 65535, got '\(text)'"
    }

    public let port: Int
    public let range: PortRange
    public let status: Record.Status
    public let records: [Record]

    public init(port: Int, records: [Record]) {
        self.port = port
        range = PortRange(port: port)
        self.records = records
        // Assigned if any record is, else reserved if any is, else unassigned.
        let statuses = Set(records.map(\.status))
        status = statuses.contains(.assigned) ? .assigned : statuses.contains(.reserved) ? .reserved : .unassigned
    }
}
