// Times port lookups through the Registry API (RegistryStore.lookup) on a seeded database.
//   RegistryBench DATABASE [PORT]
// Prints the median time per lookup over many batches; scripts/bench-seed.sh runs it.
import Registry

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 2, let port = arguments.count > 2 ? Int(arguments[2]) : 600 else {
    print("usage: RegistryBench DATABASE [PORT]")
    exit(2)
}
let batches = 41
let lookupsPerBatch = 5_000

do {
    let store = try RegistryStore(path: arguments[1])
    var recordCount = 0
    for _ in 0..<lookupsPerBatch { recordCount = try store.lookup(port: port).records.count } // warm up
    var perLookup: [Double] = []
    for _ in 0..<batches {
        let start = ContinuousClock.now
        for _ in 0..<lookupsPerBatch { recordCount &+= try store.lookup(port: port).records.count }
        let elapsed = ContinuousClock.now - start
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        perLookup.append(nanoseconds / Double(lookupsPerBatch) / 1000)
    }
    perLookup.sort()
    let median = perLookup[batches / 2]
    print("lookup port \(port) via RegistryStore.lookup: median \(String(format2: median)) µs per lookup "
        + "(fastest batch \(String(format2: perLookup[0])), slowest \(String(format2: perLookup[batches - 1])); "
        + "\(batches) batches of \(lookupsPerBatch); checksum \(recordCount)); target < 20 µs")
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
}
