/// The names of every known use, held by a store so that a search finds the uses a name of which
/// starts with its words run together without reading the known uses' rows: a scan of the table
/// for it cost more than the rest of the known-use statement (about 1,000 instructions a row).
/// A few hundred rows of some 20 bytes each; the registry a store serves never changes under it.
struct KnownUseNames {
    /// Each use's id and its `names_joined`, as bytes: ` name name `, lower-cased, without separators.
    private let uses: [(id: Int, names: [UInt8])]

    init(_ database: Database) throws {
        uses = try database.prepare("SELECT id, names_joined FROM known_uses ORDER BY id").rows { row in
            (row.int(at: 0), Array(row.text(at: 1).utf8))
        }
    }

    /// The ids of the uses with a name starting with `joined` (SearchQuery.joined's form), as a
    /// JSON array for the known-use statement's `json_each`.
    func ids(namedFrom joined: String) -> String {
        let start = Array((" " + joined).utf8)
        let found = uses.filter { use in
            use.names.count >= start.count && (0...(use.names.count - start.count)).contains { offset in
                use.names[offset..<(offset + start.count)].elementsEqual(start)
            }
        }
        return "[" + found.map { String($0.id) }.joined(separator: ",") + "]"
    }
}
