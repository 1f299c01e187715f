// Times each step of a scan of this host's listening sockets, as GET /listeners runs it;
// scripts/bench-listeners.sh runs it while a helper holds 10,000 sockets.
//   ListenerBench [RUNS]   the median of RUNS (default 7) of each step, in ms
import Glibc
import HostState

let arguments = CommandLine.arguments
guard arguments.count <= 2, let runs = arguments.count == 2 ? Int(arguments[1]) : 7, runs > 0 else {
    print("usage: ListenerBench [RUNS]   (RUNS: a positive number, default 7)")
    exit(2)
}

/// The median of `runs` timings of `body`, in ms, after one run to warm up; and what the last run said.
func median(_ body: () throws -> String) rethrows -> (milliseconds: Double, said: String) {
    var said = try body()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        said = try body()
        times.append((ContinuousClock.now - start) / .milliseconds(1))
    }
    return (times.sorted()[runs / 2], said)
}

func report(_ step: String, _ body: () throws -> String) rethrows {
    let (milliseconds, said) = try median(body)
    print("\(step): median \((milliseconds * 100).rounded() / 100) ms of \(runs) (\(said))")
}

do {
    let dumped = try SockDiagReader().listeningSockets()
    try report("sock_diag dump") { "\(try SockDiagReader().listeningSockets().count) sockets" }
    try report("/proc/net tables") { "\(try ProcNetTables(procRoot: "/proc").listeningSockets().sockets.count) sockets" }
    let inodes = Set(dumped.map(\.inode).filter { $0 != 0 })
    report("owner scan of /proc/*/fd, every link read") { "\(SocketOwners(procRoot: "/proc").find(inodes).count) of \(inodes.count) owners found" }
    let owners = SocketOwners(procRoot: "/proc")
    report("owner scan again, processes remembered") { "\(owners.find(inodes).count) of \(inodes.count) owners found" }
    let reader = ListenerReader(sockDiag: SockDiagReader(), procRoot: "/proc", passwdPath: "/etc/passwd")
    try report("whole reading again (dump, owners remembered, users, sorted Listeners)") {
        let reading = try reader.read()
        return "\(reading.listeners.count) listeners from \(reading.source)"
    }
} catch {
    print("ListenerBench: \(error)")
    exit(1)
}
