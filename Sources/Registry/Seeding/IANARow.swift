import Basics

/// One row of the IANA CSV, its twelve fields exactly as written, checked to be well-formed.
public struct IANARow: Equatable, Sendable {
    /// The header IANA's CSV starts with, column by column.
    public static let header = [
        "Service Name", "Port Number", "Transport Protocol", "Description", "Assignee", "Contact",
        "Registration Date", "Modification Date", "Reference", "Service Code",
        "Unauthorized Use Reported", "Assignment Notes",
    ]

    public let line: Int
    public let serviceName: String
    public let portNumber: String
    public let transportProtocol: String
    public let description: String
    public let assignee: String
    public let contact: String
    public let registrationDate: String
    public let modificationDate: String
    public let reference: String
    public let serviceCode: String
    public let unauthorizedUseReported: String
    public let assignmentNotes: String

    /// The Port Number column as a range (nil when empty: DNS-SD service names only).
    public let ports: ClosedRange<Int>?
    public let transport: Record.Transport?

    /// The twelve fields in CSV column order.
    public var fields: [String] {
        [serviceName, portNumber, transportProtocol, description, assignee, contact, registrationDate,
         modificationDate, reference, serviceCode, unauthorizedUseReported, assignmentNotes]
    }

    /// Checks a data record: twelve fields, a port `N` or `N-M` within 0...65535 with N <= M,
    /// a known transport, dates as `YYYY-MM-DD` or `YYYY-MM`.
    public init(_ record: CSVRecord) throws(CSVError) {
        let fields = record.fields
        func fail(_ reason: String) -> CSVError { CSVError(line: record.line, reason: reason) }
        guard fields.count == Self.header.count else {
            throw fail("expected \(Self.header.count) fields, found \(fields.count)")
        }
        line = record.line
        serviceName = fields[0]
        portNumber = fields[1]
        transportProtocol = fields[2]
        description = fields[3]
        assignee = fields[4]
        contact = fields[5]
        registrationDate = fields[6]
        modificationDate = fields[7]
        reference = fields[8]
        serviceCode = fields[9]
        unauthorizedUseReported = fields[10]
        assignmentNotes = fields[11]

        ports = try Self.parsePorts(portNumber, fail: fail)
        if transportProtocol.isEmpty {
            transport = nil
        } else if let transport = Record.Transport(rawValue: transportProtocol) ?? Record.Transport(rawValue: transportProtocol.lowercased()) {
            self.transport = transport
        } else {
            throw fail("Transport Protocol '\(PrintableText.excerpt(transportProtocol))' is not tcp, udp, sctp, dccp or empty")
        }
        for (column, date) in [("Registration Date", registrationDate), ("Modification Date", modificationDate)]
        where !date.isEmpty && !Self.isIANADate(date) {
            throw fail("\(column) '\(PrintableText.excerpt(date))' is not YYYY-MM-DD or YYYY-MM")
        }
    }

    /// Checks the header record: IANA's twelve column names, in order.
    public static func checkHeader(_ record: CSVRecord) throws(CSVError) {
        let names = record.fields
        for (index, expected) in header.enumerated() {
            guard index < names.count else {
                throw CSVError(line: record.line, reason: "the header has \(names.count) columns, "
                    + "expected IANA's \(header.count): missing '\(header[index...].joined(separator: "', '"))'")
            }
            guard names[index] == expected else {
                throw CSVError(line: record.line, reason: "header column \(index + 1) is '\(PrintableText.excerpt(names[index]))', expected '\(expected)'")
            }
        }
        guard names.count == header.count else {
            throw CSVError(line: record.line, reason: "the header has \(names.count) columns, "
                + "expected IANA's \(header.count): unexpected '\(PrintableText.excerpt(names[header.count...].joined(separator: "', '")))'")
        }
    }

    private static func parsePorts(_ text: String, fail: (String) -> CSVError) throws(CSVError) -> ClosedRange<Int>? {
        guard !text.isEmpty else { return nil }
        var bounds: [Int] = []
        var value = 0, digits = 0
        for byte in text.utf8 {
            switch byte {
            case _ where ASCII.isDigit(byte) && digits < 5:
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: "-") where digits > 0 && bounds.isEmpty:
                bounds.append(value)
                (value, digits) = (0, 0)
            default:
                throw fail("Port Number '\(PrintableText.excerpt(text))' is not N or N-M with ports from 0 to 65535")
            }
        }
        bounds.append(value)
        guard digits > 0, bounds.allSatisfy(PortLookup.validPorts.contains) else {
            throw fail("Port Number '\(PrintableText.excerpt(text))' is not N or N-M with ports from 0 to 65535")
        }
        guard bounds[0] <= bounds[bounds.count - 1] else {
            throw fail("Port Number '\(PrintableText.excerpt(text))' is a range whose first port is above its last")
        }
        return bounds[0]...bounds[bounds.count - 1]
    }

    private static func isIANADate(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.count == 7 || bytes.count == 10 else { return false }
        return bytes.enumerated().allSatisfy { index, byte in
            index == 4 || index == 7 ? byte == UInt8(ascii: "-") : (0x30...0x39).contains(byte)
        }
    }
}
