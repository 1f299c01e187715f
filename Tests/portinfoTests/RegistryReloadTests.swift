import Foundation
import Registry
import Synchronization
import Testing
import TestSupport

/// A running `portinfo serve` takes a new registry without a restart, and never one it cannot
/// serve whole.
@Suite struct RegistryReloadTests {
    /// The traps fixture with ipcserver's description changed and a service added.
    static let editedCSV = trapsCSV
        .replacingOccurrences(of: "Sun IPC server,", with: "Sun IPC server (renamed),")
        + "newsvc,7000,tcp,New service,,,2026-01,,,,,\n"

    /// What a client saw: when, and the answer.
    struct Observation {
        let at: Date
        let target: String
        let status: Int
        let tag: String?
        let body: String
    }

    /// Keep-alive clients asking `targets` in turn until `stop`, each on a thread of its own:
    /// every answer each of them got, in order.
    final class Load: Sendable {
        private struct State {
            var seen: [[Observation]]
            var running = true
        }

        private let state: Mutex<State>
        private let done = DispatchGroup()
        private let targets: [String]

        init(port: Int, clients: Int, targets: [String]) {
            self.targets = targets
            state = Mutex(State(seen: Array(repeating: [], count: clients)))
            for index in 0..<clients {
                done.enter()
                Thread { [self] in
                    defer { done.leave() }
                    guard let client = try? RawClient(port: port) else { return }
                    var turn = index
                    while state.withLock({ $0.running }) {
                        let target = targets[turn % targets.count]
                        client.send("GET \(target) HTTP/1.1\r\nHost: localhost\r\n\r\n")
                        turn += 1
                        let response = client.readResponse()
                        let observation = Observation(at: Date(), target: target, status: response?.status ?? 0,
                                                      tag: response?.header("ETag"), body: response?.body ?? "")
                        state.withLock { $0.seen[index].append(observation) }
                        if response == nil { return }
                    }
                }.start()
            }
        }

        /// Whether every client has had, for every target, an answer that `accept` takes.
        func everyClientSawEveryTarget(_ accept: (Observation) -> Bool) -> Bool {
            state.withLock { $0.seen.allSatisfy { Set($0.filter(accept).map(\.target)).count == targets.count } }
        }

        func stop() -> [[Observation]] {
            state.withLock { $0.running = false }
            done.wait()
            return state.withLock { $0.seen }
        }
    }

    @Test func aReseedUnderLoadSwitchesWithinSecondsWithNoFailedRequestAndNoMixedAnswer() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let edited = folder.write("edited.csv", Self.editedCSV)
        let server = try ServerProcess(["--db", database, "--access-log", "off"])
        let load = Load(port: server.port, clients: 4, targets: ["/ports/600", "/registry", "/services/ipcserver", "/ports/7000"])
        #expect(waitUntil { load.everyClientSawEveryTarget { _ in true } })
        let reseed = try run(["seed", "--csv", edited, "--db", database])
        let seeded = Date()
        #expect(reseed.status == 0 && reseed.output.contains("1 added, 0 removed, 2 changed"), "\(reseed.output)")
        let isNew = { (body: String) in ["renamed", "newsvc", "edited.csv"].contains { body.contains($0) } }
        #expect(waitUntil { load.everyClientSawEveryTarget { isNew($0.body) } })
        let seen = load.stop()

        let all = seen.flatMap { $0 }
        #expect(all.count > 100, "the clients kept asking")
        #expect(all.allSatisfy { $0.status == 200 }, "no failed request: \(Set(all.map(\.status)))")
        // A target's tag always comes with one body: no answer pairs one registry's tag with the
        // other's body; each target has two tags, one per registry.
        let bodies = Dictionary(grouping: all, by: { "\($0.target) \($0.tag ?? "no tag")" }).mapValues { Set($0.map(\.body)) }
        #expect(bodies.values.allSatisfy { $0.count == 1 }, "\(bodies.filter { $0.value.count > 1 }.keys)")
        #expect(bodies.count == 8, "4 targets, 2 registries: \(bodies.keys.sorted())")
        // Each client, once it has seen the new registry, never sees the old one again.
        for client in seen {
            let new = try #require(client.firstIndex { isNew($0.body) }, "every client saw the new registry")
            #expect(client[new...].allSatisfy { isNew($0.body) })
        }
        let switchedAt = try #require(all.filter { $0.body.contains("renamed") }.map(\.at).min())
        let switchSeconds = switchedAt.timeIntervalSince(seeded)
        print("registry switch: \(String(format: "%.3f", switchSeconds)) s after the seed ended; \(all.count) requests, none failed")

        let metrics = try server.get("/metrics").body
        #expect(try PrometheusText(metrics).value("portinfo_registry_reloads_total") == 1)
        #expect(try PrometheusText(metrics).value("portinfo_registry_records") == 14)
        let log = server.stop().log
        #expect(log.contains("switched to a new registry: 14 records from edited.csv, newest IANA date 2026-01; since the one before: 1 added, 0 removed, 2 changed"),
                "\(log)")
    }

    @Test func aDatabaseOverwrittenInPlaceIsTakenWhenItIsARegistry() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let other = TemporaryDirectory()
        let replacement = other.path("registry.db")
        #expect(try run(["seed", "--csv", other.write("edited.csv", Self.editedCSV), "--db", replacement]).status == 0)
        let server = try ServerProcess(["--db", database, "--access-log", "off"])
        let inode = try FileManager.default.attributesOfItem(atPath: database)[.systemFileNumber] as? UInt64
        // Written over the same file: the same inode, new bytes.
        let handle = try #require(FileHandle(forWritingAtPath: database))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: try Data(contentsOf: URL(fileURLWithPath: replacement)))
        try handle.close()
        #expect(try FileManager.default.attributesOfItem(atPath: database)[.systemFileNumber] as? UInt64 == inode)
        #expect(try waitUntil { try server.get("/ports/7000").body.contains("newsvc") })
        #expect(try server.get("/healthz").body == #"{"status":"ok"}"# + "\n")
    }

    @Test func aTruncatedThenDeletedDatabaseIsNotTakenAndTheRegistryHeldIsServedUntilASoundOneIsBack() throws {
        let folder = try seededFolder()
        let database = folder.path("registry.db")
        let server = try ServerProcess(["--db", database, "--access-log", "off"])
        let before = try server.get("/ports/600")

        #expect(truncate(database, 0) == 0)
        #expect(try waitUntil { try server.get("/healthz").body.contains("not a portinfo registry this server can serve") })
        let during = try server.get("/ports/600")
        #expect(during.status == 200 && during.body == before.body && during.header("ETag") == before.header("ETag"))

        #expect(unlink(database) == 0)
        #expect(try waitUntil {
            let health = try server.get("/healthz")
            return health.status == 200 && health.body.contains(#""status":"degraded","reason":"the database file was deleted"#)
        })
        #expect(try server.get("/services/ipcserver").status == 200)

        #expect(try run(["seed", "--csv", folder.write("edited.csv", Self.editedCSV), "--db", database]).status == 0)
        #expect(try waitUntil { try server.get("/healthz").body == #"{"status":"ok"}"# + "\n" })
        #expect(try server.get("/ports/7000").body.contains("newsvc"))
        let log = server.stop().log
        #expect(log.contains("not switching registries: \(database): "))
        #expect(log.contains("not switching registries: \(database) is gone"))
        #expect(log.contains("the registry files are sound again"))
    }

    @Test func sighupMakesTheServerLookAtOnce() throws {
        let folder = try seededFolder()
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--access-log", "off"])
        kill(server.process.processIdentifier, SIGHUP)
        #expect(waitUntil { server.loggedSinceStart.contains("SIGHUP: checking the registry database") })
        #expect(try server.get("/healthz").status == 200)
        #expect(server.stop().status == 0)
    }
}
