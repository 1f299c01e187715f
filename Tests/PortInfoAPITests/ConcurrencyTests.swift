import Dispatch
import HTTPServer
import PortInfoAPI
import Synchronization
import Testing
import TestSupport

@Suite struct ConcurrencyTests {
    /// More threads than the pool has stores, each asking for answers cached and not, must each get
    /// the answer a lone caller gets.
    @Test func concurrentCallersGetTheAnswersALoneCallerGets() throws {
        let (api, folder) = try trapsAPI()
        let targets = (0..<200).map { "/ports/\($0 * 37 % 1000)" } + ["/ports/600?transport=udp", "/services/whois%2B%2B",
                                                                     "/search?q=sun&limit=1", "/registry", "/healthz"]
        let reference = try PortInfoAPI(configuration: APIConfiguration(databasePath: folder.path("registry.db")))
        let expected = targets.map { reference.get($0).body }
        let mismatches = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: 16) { thread in
            var wrong = 0
            for round in 0..<5 {
                for (index, target) in targets.enumerated().shuffled() where (index + round + thread) % 2 == 0 {
                    if api.get(target).body != expected[index] { wrong += 1 }
                }
            }
            mismatches.add(wrong, ordering: .relaxed)
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
    }
}
