import Glibc

/// A site's own port assignments (`--site-ports FILE`): the ports its teams took for internal
/// services, which IANA will never list. A CSV file with IANA's column names in any order, of
/// which `Service Name`, `Port Number`, `Transport Protocol` and `Description` are required (and
/// may not be empty) and the others optional (`Assignee` as the owning team, `Contact`,
/// `Assignment Notes`, …). Ports are `N` or a range `N-M`. Checked whole when read: a bad file
/// names its line and reason, and nothing is seeded from it.
public struct SitePortsFile: Sendable {
    public static let requiredColumns = ["Service Name", "Port Number", "Transport Protocol", "Description"]
    /// A site's list of ports is small; a bigger file is not one.
    public static let maximumBytes = 16 << 20

    /// The file's name, as `/registry` shows it.
    public let name: String
    public let sha256: String
    /// Its rows as IANA rows (columns it leaves out empty), with their line numbers in the file.
    public let rows: [IANARow]

    public init(path: String) throws {
        let bytes: [UInt8]
        do {
            var file = try InputFile(path: path)
            bytes = try file.readAll(limit: Self.maximumBytes, source: path)
        } catch let error as InputFileError {
            throw RegistryError.invalidSitePorts(path: path, line: nil, reason: error.reason)
        }
        try self.init(bytes: bytes, path: path)
    }

    init(bytes: [UInt8], path: String) throws {
        name = String(path.split(separator: "/").last ?? Substring(path))
        var digest = SHA256()
        digest.update(bytes)
        sha256 = digest.finalize()
        func fail(_ line: Int?, _ reason: String) -> RegistryError { .invalidSitePorts(path: path, line: line, reason: reason) }
        var reader = CSVReader(MemoryStream(bytes))
        func next() throws -> CSVRecord? {
            do { return try reader.next() } catch let error as CSVError { throw fail(error.line, error.reason) }
        }
        guard let header = try next() else { throw fail(nil, "the file is empty: it needs a header line naming its columns") }
        // Where each of IANA's columns is in this file, if it is.
        var columns: [Int?] = Array(repeating: nil, count: IANARow.header.count)
        for (position, name) in header.fields.enumerated() {
            guard let column = IANARow.header.firstIndex(of: name) else {
                throw fail(header.line, "'\(name)' is not one of IANA's column names (\(IANARow.header.joined(separator: ", ")))")
            }
            guard columns[column] == nil else { throw fail(header.line, "the column '\(name)' is named twice") }
            columns[column] = position
        }
        for required in Self.requiredColumns where columns[IANARow.header.firstIndex(of: required)!] == nil {
            throw fail(header.line, "the required column '\(required)' is missing (required: \(Self.requiredColumns.joined(separator: ", ")))")
        }
        var rows: [IANARow] = []
        while let record = try next() {
            guard record.fields.count == header.fields.count else {
                throw fail(record.line, "expected \(header.fields.count) fields, as the header names, found \(record.fields.count)")
            }
            let fields = columns.map { $0.map { record.fields[$0] } ?? "" }
            for required in Self.requiredColumns where fields[IANARow.header.firstIndex(of: required)!].isEmpty {
                throw fail(record.line, "'\(required)' is empty: a site assignment needs a service name, a port, a transport and a description")
            }
            do throws(CSVError) {
                rows.append(try IANARow(CSVRecord(line: record.line, fields: fields)))
            } catch {
                throw fail(error.line, error.reason)
            }
        }
        self.rows = rows
    }
}
