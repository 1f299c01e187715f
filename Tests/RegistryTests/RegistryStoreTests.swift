import Foundation
@testable import Registry
import Testing
import TestSupport

/// A store over the traps fixture, in its own folder.
func trapsStore(statementBudget: TimeBudget? = nil) throws -> (RegistryStore, TemporaryDirectory) {
    let folder = TemporaryDirectory()
    try seed(trapsCSV, into: folder.path("r.db"), in: folder)
    let image = try RegistryLoad(budget: nil).image(fromDatabase: folder.path("r.db"))
    return (try RegistryStore(image: image, statementBudget: statementBudget), folder)
}

@Suite struct RegistryStoreTests {
    @Test func aPortGetsEveryRecordCoveringItInRegistryOrder() throws {
        let (store, _) = try trapsStore()
        let port7776 = try store.lookup(port: 7776)
        #expect(port7776.records.map { $0.ports.map { "\($0.first)-\($0.last)" } } == ["7748-7776", "7776-7776"])
        #expect(port7776.status == .unassigned)
        #expect(port7776.range == .user)
        #expect(try store.lookup(port: 6001).records.map(\.service) == ["x11"])
        #expect(try store.lookup(port: 6064).records.isEmpty)
        let port63 = try store.lookup(port: 63)
        #expect(port63.records.map(\.service) == ["whoispp", "whois++"])
        #expect(port63.records[0].description == "whois++\nIANA assigned this well-formed service name as a replacement for \"whois++\".")
    }

    @Test func statusAndRangeAddUp() throws {
        let (store, _) = try trapsStore()
        #expect(try store.lookup(port: 0).status == .reserved)
        #expect(try store.lookup(port: 0).range == .system)
        #expect(try store.lookup(port: 600).status == .assigned)
        #expect(try store.lookup(port: 49151).range == .user)
        let dynamic = try store.lookup(port: 65535)
        #expect(dynamic.range == .dynamic && dynamic.status == .unassigned && dynamic.records.isEmpty)
    }

    @Test func aTransportFilterKeepsRecordsThatNameNone() throws {
        let (store, _) = try trapsStore()
        #expect(try store.records(coveringPort: 600, transport: .udp).map(\.transport) == [.udp])
        #expect(try store.records(coveringPort: 600, transport: .sctp).isEmpty)
        #expect(try store.records(coveringPort: 7776, transport: .tcp).count == 2)
    }

    @Test func namesMatchCaseInsensitivelyAliasesIncluded() throws {
        let (store, _) = try trapsStore()
        #expect(try store.records(named: "WHOIS++").map(\.service) == ["whois++"])
        #expect(try store.records(named: "whoispp").map(\.service) == ["whoispp"])
        #expect(try store.records(named: "SQL*NET").map(\.service) == ["sql*net"])
        #expect(try store.records(named: "cl/1").map(\.contact) == ["Vera_Heinau, Heiko_Schlichting"])
        #expect(try store.records(named: "argus").map(\.ports) == [nil])
        #expect(try store.records(named: "nosuch").isEmpty)
    }

    @Test func everyPageOfASearchGivesTheSameTotal() throws {
        let (store, _) = try trapsStore()
        for text in ["f", "ipc", "whois", "protocol", "unassigned"] {
            let query = try SearchQuery(text)
            let all = try store.search(query, limit: RegistryStore.maximumSearchLimit)
            #expect(all.total == all.records.count, "\(text): every match on one page")
            for limit in [1, 2, 3] {
                for offset in 0...(all.total + 1) {
                    let page = try store.search(query, limit: limit, offset: offset)
                    #expect(page.total == all.total, "\(text) limit \(limit) offset \(offset)")
                    #expect(page.records == Array(all.records.dropFirst(offset).prefix(limit)))
                }
            }
        }
    }

    @Test func searchRanksAnExactNameFirstAndPages() throws {
        let (store, _) = try trapsStore()
        let whois = try store.search(SearchQuery("whois"))
        #expect(whois.total == 2)
        let ipc = try store.search(SearchQuery("IPC"))
        #expect(ipc.records.map(\.service) == ["ipcserver", "ipcserver"])
        #expect(try store.search(SearchQuery("ipcserver")).records.first?.service == "ipcserver")
        #expect(try store.search(SearchQuery("historic discovery")).records.map(\.service) == ["whois++"])
        let paged = try store.search(SearchQuery("sun"), limit: 1, offset: 1)
        #expect(paged.total == 2 && paged.records.count == 1 && paged.records[0].transport == .udp)
        #expect(try store.search(SearchQuery("\" OR NEAR( * ")).total == 0)
        #expect(try store.search(SearchQuery("+++")).total == 0)
    }

    @Test func refusesMissingAndForeignDatabases() throws {
        let folder = TemporaryDirectory()
        #expect(throws: RegistryError.missingDatabase(path: folder.path("none.db"))) {
            try RegistryStore(path: folder.path("none.db"))
        }
        let text = folder.write("text.db", "not sqlite at all, just some text that is long enough to be a header......\n")
        #expect { try RegistryStore(path: text) } throws: { "\($0)".contains("is not a portinfo registry database") }
        let empty = folder.path("empty.db")
        try Migrator().migrate(Database(path: empty, mode: .readWriteCreate))
        #expect(throws: RegistryError.incompleteDatabase(path: empty)) { try RegistryStore(path: empty) }
    }
}

@Suite struct FullRegistryTests {
    static let folder = TemporaryDirectory()
    static let database: String = {
        let path = folder.path("full.db")
        _ = try! Seeder(targetPath: path).seed(.file(Snapshot.current))
        return path
    }()

    @Test func holdsEveryRecordOfTheSnapshot() throws {
        let store = try RegistryStore(path: Self.database)
        #expect(try store.metadata().recordCount == 14_499)
        #expect(try store.metadata().newestIANADate == "2026-02-13")
    }

    @Test func answersTheWellKnownPorts() throws {
        let store = try RegistryStore(path: Self.database)
        let port600 = try store.lookup(port: 600)
        #expect(port600.records.map(\.service) == ["ipcserver", "ipcserver"])
        #expect(port600.records.map(\.description) == ["Sun IPC server", "Sun IPC server"])
        #expect(port600.records.map(\.transport) == [.tcp, .udp])
        #expect(try store.lookup(port: 6001).records.contains { $0.service == "x11" && $0.ports == Record.Ports(first: 6000, last: 6063) })
        #expect(Set(try store.lookup(port: 63).records.compactMap(\.service)).isSuperset(of: ["whoispp", "whois++"]))
        #expect(try store.lookup(port: 50000).records.isEmpty)
        let search = try store.search(SearchQuery("sql"), limit: 5)
        #expect(search.total > 5 && search.records.count == 5)
    }

    @Test func theDearestSearchesAcceptedTakeMillisecondsNotSeconds() throws {
        let store = try RegistryStore(path: Self.database)
        // The commonest initial letter on its last page, the eight words dearest together, and the
        // most words one word may be repeated (each repeat an extra ranked term, were it searched).
        let repeated = Array(repeating: "s", count: SearchQuery.maximumWords).joined(separator: " ")
        for (text, offset) in [("s", 4_900), ("s a d t c i for use", 0), (repeated, 0)] {
            // CPU time, which a busy machine does not stretch.
            let started = threadCPUTime()
            let results = try store.search(SearchQuery(text), limit: RegistryStore.maximumSearchLimit, offset: offset)
            #expect(results.total > 0)
            #expect(threadCPUTime() - started < .seconds(1), "'\(text)' offset \(offset)")
        }
    }

    @Test func everyRecordRoundTripsFromCSVThroughSQLite() throws {
        let path = Snapshot.current
        let database = try Database(path: Self.database, mode: .readOnly)
        let stored = try database.prepare("""
            SELECT service_name, port_number, transport_protocol, description, assignee, contact, registration_date,
                   modification_date, reference, service_code, unauthorized_use_reported, assignment_notes
            FROM records ORDER BY id
            """).rows { row in (0..<12).map { row.text(at: Int32($0)) } }
        var reader = CSVReader(try InputFile(path: path))
        _ = try reader.next()
        var csvRows: [IANARow] = []
        while let record = try reader.next() { csvRows.append(try IANARow(record)) }
        #expect(stored.count == csvRows.count)
        #expect(stored == csvRows.map(\.fields))

        // And each Record the store answers with is the one the CSV row describes.
        let store = try RegistryStore(path: Self.database)
        var expectedByPort: [Int: [Record]] = [:]
        for row in csvRows {
            for port in row.ports.map(Array.init) ?? [] { expectedByPort[port, default: []].append(Record(row, source: .iana)) }
        }
        for port in PortLookup.validPorts {
            #expect(try store.records(coveringPort: port) == expectedByPort[port] ?? [], "port \(port)")
        }
        let named = Dictionary(grouping: csvRows.filter { !$0.serviceName.isEmpty }) { $0.serviceName.lowercased() }
        for (name, rows) in named {
            #expect(try store.records(named: name) == rows.map { Record($0, source: .iana) }, "service \(name)")
        }
    }
}
