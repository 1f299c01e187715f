import Basics

/// The rows of a /proc/net socket table. tcp, tcp6, udp and udp6 share their first ten columns:
///
///     sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode …
///      0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 110349 …
///
/// Later columns differ between TCP and UDP and between kernel versions, and are ignored.
/// Columns are separated by runs of spaces, and lines are padded with trailing spaces.
/// A line that cannot be read is left out and counted, and the lines around it are read as usual.
enum ProcNetSocketTable {
    static let localAddressColumn = 1
    static let remoteAddressColumn = 2
    static let stateColumn = 3
    static let uidColumn = 7
    static let inodeColumn = 9
    static let columnsRead = inodeColumn + 1

    /// One row, valid only inside the `forEachRow` call that hands it out.
    struct Row: ~Copyable {
        let line: Int
        fileprivate let bytes: UnsafeBufferPointer<UInt8>
        fileprivate let columns: UnsafeBufferPointer<Range<Int>>

        private func column(_ index: Int) -> Slice<UnsafeBufferPointer<UInt8>> {
            bytes[columns[index]]
        }

        /// The `st` column: the kernel's TCP state number in two hex digits (UDP reuses them).
        func state() throws(ProcNetFormatError) -> UInt8 {
            let text = column(ProcNetSocketTable.stateColumn)
            guard text.count == 2, let state = ASCII.hexadecimal(text, as: UInt8.self) else {
                throw formatError("state is not two hex digits: \(ProcNetSocketTable.quoted(text))")
            }
            return state
        }

        func localEndpoint() throws(ProcNetFormatError) -> SocketEndpoint {
            try endpoint(ProcNetSocketTable.localAddressColumn)
        }

        func remoteEndpoint() throws(ProcNetFormatError) -> SocketEndpoint {
            try endpoint(ProcNetSocketTable.remoteAddressColumn)
        }

        /// The uid of the socket's owner, as seen from this user namespace.
        func uid() throws(ProcNetFormatError) -> UInt32 {
            try decimal(ProcNetSocketTable.uidColumn, name: "uid", as: UInt32.self)
        }

        /// The socket's inode, which `/proc/<pid>/fd/N` links name as `socket:[inode]`.
        func inode() throws(ProcNetFormatError) -> UInt64 {
            try decimal(ProcNetSocketTable.inodeColumn, name: "inode", as: UInt64.self)
        }

        private func formatError(_ reason: String) -> ProcNetFormatError {
            ProcNetFormatError(line: line, reason: reason)
        }

        private func endpoint(_ index: Int) throws(ProcNetFormatError) -> SocketEndpoint {
            let text = column(index)
            guard let endpoint = SocketEndpoint(procNet: text) else {
                throw formatError("not an address:port in hex: \(ProcNetSocketTable.quoted(text))")
            }
            return endpoint
        }

        private func decimal<Value: FixedWidthInteger & UnsignedInteger>(
            _ index: Int, name: String, as: Value.Type
        ) throws(ProcNetFormatError) -> Value {
            let text = column(index)
            guard let value = ASCII.decimal(text, as: Value.self) else {
                throw formatError("\(name) is not a decimal number: \(ProcNetSocketTable.quoted(text))")
            }
            return value
        }
    }

    /// Calls `body` with each socket row, skipping the header (first column `sl`) and blank lines.
    /// A row with too few columns, or one that `body` throws on, is added to `malformed` (as a
    /// line of the table at `path`) and left out.
    static func forEachRow(
        in table: [UInt8], path: String, malformed: inout MalformedLines,
        _ body: (borrowing Row) throws(ProcNetFormatError) -> Void
    ) {
        var columns = [Range<Int>](repeating: 0..<0, count: columnsRead)
        table.withUnsafeBufferPointer { bytes in
            columns.withUnsafeMutableBufferPointer { columns in
                var lineStart = 0, line = 0
                while lineStart < bytes.count {
                    line += 1
                    let lineEnd = bytes[lineStart...].firstIndex(of: newline) ?? bytes.count
                    defer { lineStart = lineEnd + 1 }
                    let count = splitColumns(bytes[lineStart..<lineEnd], into: columns)
                    if count == 0 || bytes[columns[0]].elementsEqual(headerFirstColumn) { continue }
                    do throws(ProcNetFormatError) {
                        guard count == columnsRead else {
                            throw ProcNetFormatError(line: line, reason: "expected at least \(columnsRead) columns, found \(count)")
                        }
                        try body(Row(line: line, bytes: bytes, columns: UnsafeBufferPointer(columns)))
                    } catch {
                        malformed.add(error, in: path)
                    }
                }
            }
        }
    }

    /// The most of a column a reason quotes: a line of binary garbage, or a megabyte long, still
    /// makes a short log line.
    static let quotedBytes = 40

    /// `text` in quotes for a reason: printable ASCII as it is, any other byte as `\xNN`, cut
    /// after `quotedBytes` bytes with an ellipsis.
    static func quoted(_ text: some Collection<UInt8>) -> String {
        var quoted = "'"
        for byte in text.prefix(quotedBytes) {
            if (0x20...0x7E).contains(byte), byte != UInt8(ascii: "\\") {
                quoted.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                quoted += "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return quoted + (text.count > quotedBytes ? "'…" : "'")
    }

    private static let newline = UInt8(ascii: "\n")
    private static let headerFirstColumn = Array("sl".utf8)

    /// Fills `columns` with the ranges of the line's first columns; returns how many it found.
    private static func splitColumns(
        _ line: Slice<UnsafeBufferPointer<UInt8>>, into columns: UnsafeMutableBufferPointer<Range<Int>>
    ) -> Int {
        var count = 0, index = line.startIndex
        while count < columns.count {
            while index < line.endIndex, isBlank(line[index]) { index += 1 }
            guard index < line.endIndex else { break }
            let start = index
            while index < line.endIndex, !isBlank(line[index]) { index += 1 }
            columns[count] = start..<index
            count += 1
        }
        return count
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}

/// A socket table line this parser cannot read; the caller adds the file's path.
struct ProcNetFormatError: Error, Equatable {
    let line: Int
    let reason: String
}
