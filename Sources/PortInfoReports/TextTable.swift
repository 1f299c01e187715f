import Basics
import Registry

/// Rows of text in aligned columns, the last column left ragged. Cells come from data (the
/// registry, process names): each is escaped (PrintableText), so that none can break the table's
/// lines or drive the terminal.
public struct TextTable {
    public let columns: [String]
    public let rows: [[String]]

    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows.map { $0.map(PrintableText.escaping) }
    }

    public var text: String {
        let table = [columns] + rows
        let widths = columns.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        return table.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// Records as a table, one line each (a multi-line description shows its first line); a site's
/// own assignments are marked as such.
public struct RecordTable {
    public let table: TextTable

    public init(_ records: [Record]) {
        table = TextTable(columns: ["SERVICE", "PORT", "TRANSPORT", "STATUS", "SOURCE", "DESCRIPTION"], rows: records.map { record in
            let ports = record.ports.map { $0.first == $0.last ? "\($0.first)" : "\($0.first)-\($0.last)" }
            let description = record.description?.split(whereSeparator: \.isNewline).first.map(String.init)
            return [record.service ?? "-", ports ?? "-", record.transport?.rawValue ?? "-", record.status.rawValue,
                    record.source.rawValue, description ?? "-"]
        })
    }

    public var text: String { table.text }
}
