import Basics

/// A site's own port assignments (`--site-ports FILE`): the ports its teams took for internal
/// services, which IANA will never list. A CSV file with IANA's column names in any order, of
/// which `Service Name`, `Port Number`, `Transport Protocol` and `Description` are required (and
/// may not be empty) and the others optional (`Assignee` as the owning team, `Contact`,
/// `Assignment Notes`, …). Ports are `N` or a range `N-M`. Checked whole when read: a bad file
/// names its line and reason, and nothing is seeded from it. It is whatever the path names, so it
/// is read as hostile: a regular file within the caps, text, and quoted in messages only in short
/// escaped excerpts of the fields at fault.
public struct SitePortsFile: Sendable {
    public static let requiredColumns = ["Service Name", "Port Number", "Transport Protocol", "Description"]
    /// A site's list of ports is small; a bigger file is not one.
    public static let maximumBytes = 16 << 20
    /// A site with a hundred teams of a hundred services each has 10,000 rows; ten times that
    /// loads in a few seconds, and a file with more is refused before its rows are read.
    public static let maximumRows = 100_000
    /// Rows read between looks at a load's budget.
    static let rowsPerBudgetCheck = 4096

    /// The file's name, as `/registry` shows it.
    public let name: String
    public let sha256: String
    /// Its rows as IANA rows (columns it leaves out empty), with their line numbers in the file.
    public let rows: [IANARow]

    public init(path: String) throws {
        try self.init(path: path, budget: nil)
    }

    init(path: String, budget: StatementBudget?) throws {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile(opening: path).readAll(limit: Self.maximumBytes)
        } catch {
            throw RegistryError.invalidSitePorts(path: path, line: nil, reason: "the file \(error.reason)")
        }
        try self.init(bytes: bytes, path: path, budget: budget)
    }

    init(bytes: [UInt8], path: String, budget: StatementBudget? = nil) throws {
        func fail(_ line: Int?, _ reason: String) -> RegistryError { .invalidSitePorts(path: path, line: line, reason: reason) }
        // Nothing of a file that is not text is ever quoted (an environment block, a binary).
        guard PrintableText.isText(bytes) else {
            throw fail(nil, "the file is not text (it holds NUL bytes or is not UTF-8): a site ports file is a CSV")
        }
        name = String(path.split(separator: "/").last ?? Substring(path))
        var digest = SHA256()
        digest.update(bytes)
        sha256 = digest.finalize()
        var reader = CSVReader(MemoryStream(bytes))
        func next() throws -> CSVRecord? {
            do { return try reader.next() } catch let error as CSVError { throw fail(error.line, error.reason) }
        }
        guard let header = try next() else { throw fail(nil, "the file is empty: it needs a header line naming its columns") }
        // Where each of IANA's columns is in this file, if it is.
        var columns: [Int?] = Array(repeating: nil, count: IANARow.header.count)
        guard header.fields.contains(where: IANARow.header.contains) else {
            throw fail(header.line, "the first line names none of IANA's columns (\(IANARow.header.joined(separator: ", "))): "
                + "this is not a site ports file")
        }
        for (position, name) in header.fields.enumerated() {
            guard let column = IANARow.header.firstIndex(of: name) else {
                throw fail(header.line, "'\(PrintableText.excerpt(name))' is not one of IANA's column names (\(IANARow.header.joined(separator: ", ")))")
            }
            guard columns[column] == nil else { throw fail(header.line, "the column '\(name)' is named twice") }
            columns[column] = position
        }
        for required in Self.requiredColumns where columns[IANARow.header.firstIndex(of: required)!] == nil {
            throw fail(header.line, "the required column '\(required)' is missing (required: \(Self.requiredColumns.joined(separator: ", ")))")
        }
        var rows: [IANARow] = []
        while let record = try next() {
            guard rows.count < Self.maximumRows else {
                throw fail(record.line, "the file has more than \(Self.maximumRows) rows: more than a site's own ports come to")
            }
            if rows.count % Self.rowsPerBudgetCheck == 0, let budget, budget.check() {
                throw RegistryError.loadTimedOut(budget: budget.budget, limit: budget.exceeded ?? .cpu)
            }
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
