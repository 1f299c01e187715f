// Times queries through the Registry API on a seeded database; scripts/bench-seed.sh runs it.
//   RegistryBench DATABASE [PORT]   the median time of a port lookup (RegistryStore.lookup)
//   RegistryBench DATABASE costs    the median time of each query the store runs, at its dearest
//   RegistryBench DATABASE quality SUITE   success@3 of the search-quality suite (scripts/bench-search-quality.sh)
import Glibc
import Registry

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: RegistryBench DATABASE [PORT | costs | quality SUITE]")
    exit(2)
}

/// The median of `batches` timings of `runs` calls of `body`, per call, in µs; and the fastest and slowest batch.
func timePerCall(batches: Int, runs: Int, _ body: () throws -> Void) rethrows -> (median: Double, fastest: Double, slowest: Double) {
    for _ in 0..<runs { try body() } // warm up
    var perCall: [Double] = []
    for _ in 0..<batches {
        let start = ContinuousClock.now
        for _ in 0..<runs { try body() }
        perCall.append((ContinuousClock.now - start) / .microseconds(1) / Double(runs))
    }
    perCall.sort()
    return (perCall[batches / 2], perCall[0], perCall[batches - 1])
}

/// Port lookups: the hot path, target < 20 µs.
func benchLookup(_ store: RegistryStore, port: Int) throws {
    let (batches, lookupsPerBatch) = (41, 5_000)
    var recordCount = 0
    let time = try timePerCall(batches: batches, runs: lookupsPerBatch) { recordCount &+= try store.lookup(port: port).records.count }
    print("lookup port \(port) via RegistryStore.lookup: median \(String(format2: time.median)) µs per lookup "
        + "(fastest batch \(String(format2: time.fastest)), slowest \(String(format2: time.slowest)); "
        + "\(batches) batches of \(lookupsPerBatch); checksum \(recordCount)); target < 20 µs")
}

/// Every query the store runs, each at its dearest on the full registry, for the cost model in
/// RegistryStore: searches within SearchQuery's caps (the commonest initial letter, s, with about
/// 5,000 records to rank, on its first and last page; the eight words that measured dearest
/// together; the first eight letters; a text of the longest length accepted), the scans, the check.
func benchCosts(_ store: RegistryStore) throws {
    func report(_ name: String, runs: Int = 5, _ body: () throws -> String) throws {
        var result = ""
        let time = try timePerCall(batches: 11, runs: runs) { result = try body() }
        print("\(name): \(result), median \(String(format2: time.median / 1000)) ms (slowest batch \(String(format2: time.slowest / 1000)))")
    }
    let dearest = "s a d t c i for use"
    for (text, offset) in [("s", 0), ("s", 4_900), (dearest, 0), ("a b c d e f g h", 0),
                           (Array(repeating: "s", count: SearchQuery.maximumWords).joined(separator: " "), 0)] {
        let query = try SearchQuery(text)
        try report("search \(query.words) (\(text.unicodeScalars.count) characters) limit \(RegistryStore.maximumSearchLimit) offset \(offset)") {
            "\(try store.search(query, limit: RegistryStore.maximumSearchLimit, offset: offset).total) matches"
        }
    }
    for text in ["sql", "network file system", "dns", "kafka"] {
        let query = try SearchQuery(text)
        try report("search \(query.words) limit \(RegistryStore.defaultSearchLimit)", runs: 200) {
            let results = try store.search(query)
            return "\(results.total) matches, \(results.knownUses.count) known uses"
        }
    }
    try report("records(named: \"http\")", runs: 1_000) { "\(try store.records(named: "http").count) records" }
    try report("serviceNames(for: .tcp)") { "\(try store.serviceNames(for: .tcp).count) ports" }
    try report("unassignedPorts(transport: nil)") { "\(try store.unassignedPorts(transport: nil).count { $0 }) ports" }
    try report("metadata()", runs: 1_000) { "\(try store.metadata().recordCount) records" }
    try report("quickCheck()") { try store.quickCheck() ?? "ok" }
}

do {
    // As the server holds a registry: in memory, each statement within the server's budget.
    let image = try RegistryLoad(budget: nil).image(fromDatabase: arguments[1])
    let store = try RegistryStore(image: image, statementBudget: RegistryStore.defaultStatementBudget)
    switch arguments.count > 2 ? arguments[2] : "600" {
    case "costs": try benchCosts(store)
    case "quality" where arguments.count == 4: try benchQuality(store, suite: arguments[3])
    case let port:
        guard let port = Int(port) else {
            print("usage: RegistryBench DATABASE [PORT | costs | quality SUITE]")
            exit(2)
        }
        try benchLookup(store, port: port)
    }
} catch {
    print("RegistryBench: \(error)")
    exit(1)
}

extension String {
    /// Two decimals, without Foundation.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        self = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Padded with commas (no word characters) to `length` bytes.
    func padding(toLength length: Int) -> String {
        self + String(repeating: ",", count: length - utf8.count)
    }
}
