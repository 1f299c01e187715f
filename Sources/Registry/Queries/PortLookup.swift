import Basics

/// RFC 6335's three port ranges.
public enum PortRange: String, Sendable {
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
public struct PortLookup: Equatable, Sendable {
    public static let validPorts = 0...65535

    /// A port written as decimal digits (leading zeros allowed), within 0...65535; else nil.
    /// Byte by byte, without allocating: the HTTP API parses one per request.
    public static func port(fromDecimal text: some StringProtocol) -> Int? {
        var port = 0, significantDigits = 0
        for byte in text.utf8 {
            guard ASCII.isDigit(byte) else { return nil }
            port = port * 10 + Int(byte - UInt8(ascii: "0"))
            if port > 0 { significantDigits += 1 }
            if significantDigits > 5 { return nil }
        }
        return !text.isEmpty && validPorts.contains(port) ? port : nil
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
        // Assigned if any of IANA's records is, else reserved if any is, else unassigned: a
        // site's own assignment is shown beside IANA's, but does not change what IANA says.
        let statuses = Set(records.filter { $0.source == .iana }.map(\.status))
        status = statuses.contains(.assigned) ? .assigned : statuses.contains(.reserved) ? .reserved : .unassigned
    }
}
