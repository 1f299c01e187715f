import CSQLite
import Foundation
import Glibc
@testable import Registry
import Testing
import TestSupport

/// Counts to ?1, one row at a time: 10^10 would take SQLite most of an hour.
let countingSQL = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?1) SELECT count(*) FROM c"

/// The CPU time this thread has used: what the statement budget counts, whatever the machine's load.
func threadCPUTime() -> Duration {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
}

/// Keeps this thread busy until it has used `duration` more CPU time.
func burnCPU(_ duration: Duration) {
    let until = threadCPUTime() + duration
    var spin = 0
    while threadCPUTime() < until { spin &+= 1 }
}

@Suite struct StatementBudgetTests {
    /// A CPU budget of 0.1 s, and a wall-clock backstop no busy machine reaches in these tests.
    static let cpuBudget = TimeBudget(cpu: .milliseconds(100), wall: .seconds(600))

    @Test func aRunawayStatementStopsAtItsCPUBudgetAndRunsAgainAfterwards() throws {
        let (store, _) = try trapsStore(statementBudget: Self.cpuBudget)
        let counting = try store.database.prepare(countingSQL)
        try counting.bind(10_000_000_000, at: 1)
        let started = threadCPUTime()
        #expect {
            try counting.rows { $0.int(at: 0) }
        } throws: { error in
            let error = error as! SQLiteError
            return error.wasInterrupted && error.message == "interrupted: still running past its budget of 0.1 seconds of CPU time"
        }
        // CPU time, which load does not stretch: at its budget, and not long after.
        let used = threadCPUTime() - started
        #expect(used >= .milliseconds(100) && used < .milliseconds(600), "stopped after \(used) of CPU time")
        // The same statement, the connection and the store's own statements all still work.
        try counting.bind(1000, at: 1)
        #expect(try counting.rows { $0.int(at: 0) } == [1000])
        #expect(try store.lookup(port: 600).records.count == 2)
        #expect(try store.search(SearchQuery("sun")).total == 2)
    }

    @Test func aStatementKeptFromRunningStopsAtItsWallClockBackstop() throws {
        let (store, _) = try trapsStore(statementBudget: TimeBudget(cpu: .seconds(600), wall: .milliseconds(100)))
        // Rows of one statement, taken with a pause after the first: the statement runs all the while.
        let counting = try store.database.prepare("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT x FROM c")
        var rows = 0
        #expect {
            try counting.rows { _ in
                rows += 1
                if rows == 1 { usleep(150_000) }
            }
        } throws: { error in
            (error as! SQLiteError).message == "interrupted: still running past its budget of 0.1 seconds in all"
        }
        #expect(rows < 100_000)
    }

    @Test func theClocksStartAtTheFirstStepNotAtPrepareNorAtAnEarlierStatement() throws {
        let (store, _) = try trapsStore(statementBudget: Self.cpuBudget)
        let counting = try store.database.prepare(countingSQL)
        try counting.bind(20_000, at: 1)
        #expect(try counting.rows { $0.int(at: 0) } == [20_000])
        burnCPU(.milliseconds(200))
        // Prepared and last run twice the budget of CPU time ago: neither counts against this run.
        try counting.bind(20_000, at: 1)
        #expect(try counting.rows { $0.int(at: 0) } == [20_000])
        try store.database.execute("SELECT count(*) FROM records")
    }

    @Test func aStatementSteppedInsideAnotherSharesItsBudget() throws {
        let (store, _) = try trapsStore(statementBudget: Self.cpuBudget)
        let outer = try store.database.prepare("SELECT id FROM records ORDER BY id")
        #expect(try outer.step())
        burnCPU(.milliseconds(150))
        // The outer statement is past its budget: a statement stepped while it runs is too.
        let counting = try store.database.prepare(countingSQL)
        try counting.bind(200_000, at: 1)
        #expect { try counting.step() } throws: { ($0 as! SQLiteError).wasInterrupted }
        outer.reset()
        #expect(try counting.step() && counting.int(at: 0) == 200_000)
    }

    @Test func aStoreQueryPastItsBudgetThrowsQueryTimedOutAndTheStoreAnswersTheNext() throws {
        let folder = TemporaryDirectory()
        try seed(generatedCSV(records: 20_000), into: folder.path("r.db"), in: folder)
        // Ranking 20,000 matches takes tens of milliseconds of CPU time; a port or name lookup, microseconds.
        let budget = TimeBudget(cpu: .milliseconds(1), wall: .seconds(600))
        let store = try RegistryStore(image: RegistryLoad(budget: nil).image(fromDatabase: folder.path("r.db")), statementBudget: budget)
        #expect(throws: RegistryError.queryTimedOut(budget: budget, limit: .cpu)) {
            try store.search(SearchQuery("generated service"), limit: RegistryStore.maximumSearchLimit, offset: 19_900)
        }
        #expect(try store.lookup(port: 600).records.map(\.service) == ["svc600"])
        #expect(try store.records(named: "SVC7").map(\.ports?.first) == [7])
        #expect(RegistryError.queryTimedOut(budget: RegistryStore.defaultStatementBudget, limit: .cpu).description
            == "the registry query was stopped: it ran past its budget of 0.25 seconds of CPU time")
        #expect(RegistryStore.defaultStatementBudget == TimeBudget(cpu: .milliseconds(250), wall: .seconds(2)))
    }

    @Test func aStoreOfACommandRunsWithoutABudget() throws {
        let folder = TemporaryDirectory()
        try seed(trapsCSV, into: folder.path("r.db"), in: folder)
        #expect(try RegistryStore(path: folder.path("r.db")).statementBudget == nil)
        #expect(try RegistryStore(image: Seeder.image(of: .builtIn()).0).statementBudget == nil)
    }
}
