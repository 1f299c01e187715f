/// portinfo's own tables beside IANA's registry, built into the binary from `knowledge/`: the
/// everyday names of IANA's services and the known uses of ports, each entry with its source.
/// Every seed loads them into their own tables (`everyday_names`, `known_uses`), apart from
/// IANA's records.
public struct Knowledge: Equatable, Sendable {
    public let everydayNames: [EverydayName]
    public let knownUses: [KnownUse]
    /// Hex SHA-256 of both files' bytes, in order: whether a registry holds these very tables.
    public let sha256: String

    public static let everydayNamesHeader = ["name", "service", "port", "source"]
    public static let knownUsesHeader = ["product", "names", "use", "port", "transport", "vendor", "url"]
    /// Within a known use's `names` column: the names people search it by.
    static let namesSeparator: Character = ";"

    /// The tables the binary carries.
    public static func builtIn() throws(KnowledgeError) -> Knowledge {
        try Knowledge(everydayNames: embeddedKnowledgeFiles[0], knownUses: embeddedKnowledgeFiles[1])
    }

    /// Both files, each a `(name, text)`, checked: a header of the expected columns, every field
    /// filled in (but a known use's other names), ports within 0...65535, a known transport, https sources.
    init(everydayNames names: (name: String, text: String), knownUses uses: (name: String, text: String)) throws(KnowledgeError) {
        everydayNames = try Self.rows(of: names, header: Self.everydayNamesHeader).map { line, fields throws(KnowledgeError) in
            func fail(_ reason: String) -> KnowledgeError { KnowledgeError(file: names.name, line: line, reason: reason) }
            guard let port = Int(fields[2]), PortLookup.validPorts.contains(port) else { throw fail("port \"\(fields[2])\" is not 0-65535") }
            guard fields[1] == fields[1].lowercased() else { throw fail("service \"\(fields[1])\" must be written lower-case") }
            return EverydayName(name: fields[0], service: fields[1], port: port, source: try Self.url(fields[3], or: fail))
        }
        knownUses = try Self.rows(of: uses, header: Self.knownUsesHeader, optional: [1]).map { line, fields throws(KnowledgeError) in
            func fail(_ reason: String) -> KnowledgeError { KnowledgeError(file: uses.name, line: line, reason: reason) }
            let bounds = fields[3].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(bounds.count), let first = bounds.first!, let last = bounds.last!,
                  PortLookup.validPorts.contains(first), PortLookup.validPorts.contains(last), first <= last
            else { throw fail("port \"\(fields[3])\" is not N or N-M within 0-65535") }
            guard let transport = Record.Transport(rawValue: fields[4]) else {
                throw fail("transport \"\(fields[4])\" is not one of \(Record.Transport.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let otherNames = fields[1].split(separator: Self.namesSeparator).map { String($0.trimmingPrefix(while: \.isWhitespace)) }
            return KnownUse(product: fields[0], names: otherNames, use: fields[2], ports: Record.Ports(first: first, last: last),
                            transport: transport, vendor: fields[5], url: try Self.url(fields[6], or: fail))
        }
        var digest = SHA256()
        digest.update(Array(names.text.utf8))
        digest.update(Array(uses.text.utf8))
        sha256 = digest.finalize()
    }

    /// The data rows of a CSV file with exactly `header`, each with its line and its fields, all
    /// filled in but those at `optional`.
    private static func rows(of file: (name: String, text: String), header: [String], optional: Set<Int> = []) throws(KnowledgeError) -> [(Int, [String])] {
        var reader = CSVReader(MemoryStream(Array(file.text.utf8)))
        var rows: [(Int, [String])] = []
        do {
            guard let first = try reader.next(), first.fields == header else {
                throw KnowledgeError(file: file.name, line: 1, reason: "expected the header \(header.joined(separator: ","))")
            }
            while let record = try reader.next() {
                guard record.fields.count == header.count else {
                    throw KnowledgeError(file: file.name, line: record.line, reason: "expected \(header.count) fields, found \(record.fields.count)")
                }
                if let empty = record.fields.indices.first(where: { record.fields[$0].isEmpty && !optional.contains($0) }) {
                    throw KnowledgeError(file: file.name, line: record.line, reason: "the \(header[empty]) field is empty")
                }
                rows.append((record.line, record.fields))
            }
        } catch let error as CSVError {
            throw KnowledgeError(file: file.name, line: error.line, reason: error.reason)
        } catch let error as KnowledgeError {
            throw error
        } catch {
            throw KnowledgeError(file: file.name, line: nil, reason: "\(error)")
        }
        return rows
    }

    private static func url(_ text: String, or fail: (String) -> KnowledgeError) throws(KnowledgeError) -> String {
        guard text.hasPrefix("https://"), !text.contains(where: \.isWhitespace) else { throw fail("source \"\(text)\" is not an https URL") }
        return text
    }
}
