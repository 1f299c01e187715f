import Registry

/// Records as an aligned text table, one line each (a multi-line description shows its first line).
struct RecordTable {
    static let columns = ["SERVICE", "PORT", "TRANSPORT", "STATUS", "DESCRIPTION"]
    let rows: [[String]]

    init(_ records: [Record]) {
        rows = records.map { record in
            let ports = record.ports.map { $0.first == $0.last ? "\($0.first)" : "\($0.first)-\($0.last)" }
            let description = record.description?.split(whereSeparator: \.isNewline).first.map(String.init)
            return [record.service ?? "-", ports ?? "-", record.transport?.rawValue ?? "-", record.status.rawValue, description ?? "-"]
        }
    }

    var text: String {
        let table = [Self.columns] + rows
        let widths = Self.columns.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        return table.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column])
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

private extension String {
    func padding(toLength length: Int) -> String {
        self + String(repeating: " ", count: max(0, length - count))
    }
}
