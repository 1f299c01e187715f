// A small HTTP/1.1 load generator for the benchmarks, for what wrk cannot do: an open-loop
// fixed request rate (latency measured from when each request was due), and the spread of
// answered requests across connections (fairness).
//   LoadGenerator --port P [--host 127.0.0.1] [--path /ports/600]... [--connections 50]
//                 [--threads 1] [--rate R] [--duration 10] [--warm-up 1]
// Prints key=value lines: requests, rate, errors, statuses, latency percentiles (ms) and the
// per-connection counts. --rate 0 (the default) is closed loop, like wrk.
import Dispatch
import Glibc

func fail(_ message: String) -> Never {
    let line = "LoadGenerator: \(message)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(2)
}

/// `--name value` pairs; a name given more than once keeps every value.
func parseOptions() -> [String: [String]] {
    var options: [String: [String]] = [:]
    var arguments = CommandLine.arguments.dropFirst()
    while let name = arguments.popFirst() {
        guard name.hasPrefix("--"), let value = arguments.popFirst() else { fail("expected --name value, got '\(name)'") }
        options[String(name.dropFirst(2)), default: []].append(value)
    }
    return options
}
let options = parseOptions()
func number(_ name: String, _ fallback: Double) -> Double {
    guard let text = options[name]?.last else { return fallback }
    guard let value = Double(text), value >= 0 else { fail("--\(name) must be a number, got '\(text)'") }
    return value
}
guard let portText = options["port"]?.last, let port = Int(portText) else { fail("--port is required") }
let host = options["host"]?.last ?? "127.0.0.1"
let paths = options["path"] ?? ["/ports/600"]
let threads = max(1, Int(number("threads", 1)))
let connections = max(threads, Int(number("connections", 50)))
let rate = number("rate", 0)
let duration = number("duration", 10)
let requests = paths.map { Array("GET \($0) HTTP/1.1\r\nHost: \(host):\(port)\r\n\r\n".utf8) }

nonisolated(unsafe) var results = [Result<LoadResult, LoadError>?](repeating: nil, count: threads)
let group = DispatchGroup()
for thread in 0..<threads {
    let settings = LoadSettings(
        host: host, port: port, requests: requests,
        connections: connections / threads + (thread < connections % threads ? 1 : 0),
        rate: rate / Double(threads), warmUpNanoseconds: UInt64(number("warm-up", 1) * 1e9),
        durationNanoseconds: UInt64(duration * 1e9))
    DispatchQueue.global().async(group: group) { results[thread] = Result { () throws(LoadError) in try runLoad(settings) } }
}
group.wait()

var total = LoadResult()
for result in results {
    switch result! {
    case let .failure(error): fail(error.description)
    case let .success(result):
        total.latenciesMicroseconds += result.latenciesMicroseconds
        total.answeredPerConnection += result.answeredPerConnection
        total.errors += result.errors
        total.reconnects += result.reconnects
        for index in total.statusClasses.indices { total.statusClasses[index] += result.statusClasses[index] }
    }
}
let latencies = total.latenciesMicroseconds.sorted()
func percentile(_ fraction: Double) -> String {
    guard !latencies.isEmpty else { return "nan" }
    let value = latencies[min(latencies.count - 1, Int(Double(latencies.count) * fraction))]
    return String(Double(value) / 1000)
}
let perConnection = total.answeredPerConnection.sorted()
print("requests=\(latencies.count) seconds=\(duration) rate=\(Int(Double(latencies.count) / duration)) errors=\(total.errors) reconnects=\(total.reconnects)")
print("status 2xx=\(total.statusClasses[2]) 3xx=\(total.statusClasses[3]) 4xx=\(total.statusClasses[4]) 5xx=\(total.statusClasses[5])")
print("latency_ms p50=\(percentile(0.5)) p90=\(percentile(0.9)) p99=\(percentile(0.99)) p999=\(percentile(0.999)) max=\(percentile(1))")
print("per_connection min=\(perConnection.first ?? 0) median=\(perConnection[perConnection.count / 2]) max=\(perConnection.last ?? 0)")
