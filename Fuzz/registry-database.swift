// Fuzzes the registry loader (RegistryLoad: the file's checks, the schema held to the seed's) and,
// for a database it accepts, every query the server makes of a registry: what a file swapped in
// under a running server may hold.
//
// Input: byte 0 chooses how the rest edits a small sound registry (three IANA records and the
// knowledge tables, seeded once):
// - bit 0 clear, bytes: edits of the file, each 3 bytes of offset (big-endian, modulo the file's
//   size), a byte of length, and that many bytes written there;
// - bit 0 set, values: edits of its rows through SQL, each a byte choosing a column (`columns`),
//   a byte choosing the row, a byte choosing the kind of value (integer, text, NULL), then for an
//   integer 8 bytes, for text a byte of length and that many bytes; the schema stays the seed's.
// The file is loaded as a server loads one, with the server's budget; with the site file's rows
// put in when bit 1 is set.
//
// Invariants, beyond not crashing and not hanging:
// - a refusal is a RegistryError or a MigrationError naming the file (or SQLite's error for damage
//   met as the site's rows go in), with no raw control character;
// - an accepted registry answers every query or throws (a query's error, never a crash), and what
//   it answers of ports keeps them within 0...65535 where the server indexes by them.
import Basics
import CSQLite
import Glibc
@testable import Registry

/// Where the edited file is written: memory, when the machine has /dev/shm.
let fuzzFolder: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    let folder = "\(base)/portinfo-fuzz-\(getpid())"
    mkdir(folder, 0o700)
    return folder
}()

/// The sound registry every input edits: its file's bytes.
let soundRegistry: [UInt8] = {
    let csv = """
        \(IANARow.header.joined(separator: ","))
        ipcserver,600,tcp,Sun IPC server,[Bill],[Bill],2001-01,,[RFC1057],,,
        x11,6000-6063,tcp,X Window System,[S],[S],,2020-02-02,[RFC1013][RFC1198],,Known Unauthorized Use,notes
        ,49151,tcp,Reserved,,,,,,,,

        """
    let path = "\(fuzzFolder)/sound.db"
    let input = SeedInput(csv: Array(csv.utf8), source: "fuzz.csv")
    _ = try! Seeder(targetPath: path).seed(input, force: true)
    return try! RegularFile(opening: path).readAll(limit: 64 << 20)
}()

/// The columns value edits may set: every column the server decodes or indexes by.
let columns: [(table: String, column: String)] = [
    ("records", "port_first"), ("records", "port_last"), ("records", "transport"), ("records", "status"), ("records", "source"),
    ("records", "service_name"), ("records", "service_folded"), ("records", "service_joined"), ("records", "description"),
    ("records", "reference_list"), ("records", "assignee"), ("records", "assignee_names"), ("records", "assignment_notes"),
    ("record_references", "reference"), ("registry_metadata", "record_count"), ("registry_metadata", "csv_sha256"),
    ("registry_metadata", "site_source"), ("registry_metadata", "site_record_count"), ("registry_metadata", "newest_iana_date"),
    ("known_uses", "port_first"), ("known_uses", "port_last"), ("known_uses", "transport"), ("known_uses", "names"),
    ("known_uses", "names_joined"), ("known_uses", "url"), ("everyday_names", "port"), ("everyday_names", "service"),
    ("everyday_names", "name_joined"), ("registry_changes", "change"), ("registry_changes", "fields"), ("schema_migrations", "version"),
]

func takeInteger(_ input: inout FuzzInput) -> Int64 {
    (0..<8).reduce(Int64(0)) { value, _ in value << 8 | Int64(input.takeByte()) }
}

/// The sound registry with the input's edits, written to `path`.
func edited(_ input: inout FuzzInput, valueEdits: Bool, path: String) throws {
    guard valueEdits else {
        var bytes = soundRegistry
        while !input.bytes.isEmpty {
            let offset = (Int(input.takeByte()) << 16 | Int(input.takeByte()) << 8 | Int(input.takeByte())) % bytes.count
            let count = Int(input.takeByte())
            for index in 0..<count where offset + index < bytes.count { bytes[offset + index] = input.takeByte() }
        }
        let file = fopen(path, "w")!
        fwrite(bytes, 1, bytes.count, file)
        fclose(file)
        return
    }
    let file = fopen(path, "w")!
    fwrite(soundRegistry, 1, soundRegistry.count, file)
    fclose(file)
    let database = try Database(path: path, mode: .readWriteCreate)
    while !input.bytes.isEmpty {
        let (table, column) = columns[Int(input.takeByte()) % columns.count]
        let row = Int(input.takeByte())
        let update = try database.prepare("""
            UPDATE \(table) SET \(column) = ?1 WHERE rowid = (SELECT rowid FROM \(table) ORDER BY rowid LIMIT 1 OFFSET ?2 % max(1, (SELECT count(*) FROM \(table))))
            """)
        switch input.takeByte() % 3 {
        case 0: try update.bind(Int(takeInteger(&input)), at: 1)
        case 1:
            let count = Int(input.takeByte())
            try update.bind(String(decoding: (0..<count).map { _ in input.takeByte() }, as: UTF8.self), at: 1)
        default: try update.bind(nil as String?, at: 1)
        }
        try update.bind(row, at: 2)
        // A value the schema refuses (a CHECK, NOT NULL) is an edit a seed could not make: skipped.
        try? update.run()
    }
}

/// Every query the server makes of a registry, each allowed to throw.
func query(_ image: RegistryImage) {
    guard let store = try? RegistryStore(image: image, statementBudget: RegistryStore.defaultStatementBudget) else { return }
    _ = try? store.quickCheck()
    _ = try? store.metadata()
    _ = try? store.changes(limit: 10, offset: 0)
    _ = try? store.changesSHA256()
    for port in [0, 22, 600, 6001, 49151, 65535] {
        if let report = try? store.report(port: port, transport: nil) {
            invariant(report.lookup.port == port, "a report of \(port) is of \(report.lookup.port)")
        }
        _ = try? store.lookup(port: port, transport: .tcp)
        _ = try? store.knownUses(port: port)
        _ = try? store.everydayNames(port: port)
    }
    _ = try? store.records(named: "ipcserver")
    for text in ["sun", "x", "network file system", "ipc server"] {
        if let query = try? SearchQuery(text) { _ = try? store.search(query, limit: 20, offset: 0) }
    }
    for transport in Record.Transport.allCases {
        if let names = try? store.serviceNames(for: transport) {
            invariant(names.keys.allSatisfy(PortLookup.validPorts.contains), "a service name on a port outside 0...65535")
        }
    }
    if let free = try? store.unassignedPorts(transport: nil) {
        invariant(free.count == PortLookup.validPorts.count, "\(free.count) ports in the table of free ports")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegistryDatabase(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.takeByte()
    let path = "\(fuzzFolder)/registry.db"
    do {
        try edited(&input, valueEdits: mode & 1 == 1, path: path)
    } catch {
        return 0 // an edit SQLite itself refused: nothing to load
    }
    let load = RegistryLoad(budget: RegistryLoad.serverBudget)
    let image: RegistryImage
    do {
        image = try load.image(fromDatabase: path)
        if mode & 2 == 2 {
            let site = "Service Name,Port Number,Transport Protocol,Description\nwiki,600,tcp,Wiki\npool,6000-6100,tcp,Pool\n"
            _ = try load.replaceSitePorts(in: image, with: SitePortsFile(bytes: Array(site.utf8), path: "/fuzz/site.csv"))
        }
    } catch let error as RegistryError {
        let message = "\(error)"
        invariant(PrintableText.escaping(message) == message, "a refusal with raw control characters: \(message.debugDescription)")
        if case .invalidSitePorts = error { return 0 }
        invariant(message.contains(path) || { if case .loadTimedOut = error { return true } else { return false } }(),
                  "a refusal that does not name the file: \(message)")
        return 0
    } catch let error as MigrationError {
        invariant("\(error)".contains(path), "a refusal that does not name the file: \(error)")
        return 0
    } catch let error as SQLiteError {
        // Damage the checks let through (a page's contents) met as the site's rows go in: the
        // server refuses the file for it, and the message may quote the file only escaped.
        invariant(PrintableText.escaping(error.message) == error.message, "raw control characters: \(error.message.debugDescription)")
        return 0
    } catch {
        fatalError("the loader threw something other than a RegistryError, MigrationError or SQLiteError: \(error)")
    }
    query(image)
    return 0
}
