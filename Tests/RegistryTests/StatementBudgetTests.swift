import CSQLite
import Foundation
@testable import Registry
import Testing
import TestSupport

/// Counts to ?1, one row at a time: 10^10 would take SQLite most of an hour.
let countingSQL = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?1) SELECT count(*) FROM c"

@Suite struct StatementBudgetTests {
    @Test func aRunawayStatementStopsAtItsBudgetAndRunsAgainAfterwards() throws {
        let (store, _) = try trapsStore(statementBudget: .milliseconds(100))
        let counting = try store.database.prepare(countingSQL)
        try counting.bind(10_000_000_000, at: 1)
        let started = ContinuousClock.now
        #expect {
            try counting.rows { $0.int(at: 0) }
        } throws: { error in
            let error = error as! SQLiteError
            return error.wasInterrupted && error.message == "interrupted: still running after its time budget of 0.1 seconds"
        }
        let took = ContinuousClock.now - started
        #expect(took >= .milliseconds(100) && took < .seconds(2), "stopped after \(took)")
        // The same statement, the connection and the store's own statements all still work.
        try counting.bind(1000, at: 1)
        #expect(try counting.rows { $0.int(at: 0) } == [1000])
        #expect(try store.lookup(port: 600).records.count == 2)
        #expect(try store.search(SearchQuery("sun")).total == 2)
    }

    @Test func theClockStartsAtTheFirstStepNotAtPrepareNorAtAnEarlierStatement() throws {
        let (store, _) = try trapsStore(statementBudget: .milliseconds(100))
        let counting = try store.database.prepare(countingSQL)
        try counting.bind(20_000, at: 1)
        #expect(try counting.rows { $0.int(at: 0) } == [20_000])
        usleep(200_000)
        // Prepared and last run twice the budget ago: neither counts against this run.
        try counting.bind(20_000, at: 1)
        #expect(try counting.rows { $0.int(at: 0) } == [20_000])
        try store.database.execute("SELECT count(*) FROM records")
    }

    @Test func aStatementSteppedInsideAnotherSharesItsDeadline() throws {
        let (store, _) = try trapsStore(statementBudget: .milliseconds(100))
        let outer = try store.database.prepare("SELECT id FROM records ORDER BY id")
        #expect(try outer.step())
        usleep(150_000)
        // The outer statement is past its budget: a statement stepped while it runs is too.
        let counting = try store.database.prepare(countingSQL)
        try counting.bind(20_000, at: 1)
        #expect { try counting.step() } throws: { ($0 as! SQLiteError).wasInterrupted }
        outer.reset()
        #expect(try counting.step() && counting.int(at: 0) == 20_000)
    }

    @Test func aStoreQueryPastItsBudgetThrowsQueryTimedOutAndTheStoreAnswersTheNext() throws {
        let folder = TemporaryDirectory()
        try seed(generatedCSV(records: 20_000), into: folder.path("r.db"), in: folder)
        // Ranking 20,000 matches takes tens of milliseconds; a port or name lookup, microseconds.
        let store = try RegistryStore(path: folder.path("r.db"), statementBudget: .milliseconds(1))
        #expect(throws: RegistryError.queryTimedOut(budget: .milliseconds(1))) {
            try store.search(SearchQuery("generated service"), limit: RegistryStore.maximumSearchLimit, offset: 19_900)
        }
        #expect(try store.lookup(port: 600).records.map(\.service) == ["svc600"])
        #expect(try store.records(named: "SVC7").map(\.ports?.first) == [7])
        #expect(RegistryError.queryTimedOut(budget: .milliseconds(250)).description
            == "the registry query was stopped: it ran past its time budget of 0.25 seconds")
        #expect(RegistryStore.defaultStatementBudget == .milliseconds(250))
        #expect(try RegistryStore(path: folder.path("r.db")).statementBudget == RegistryStore.defaultStatementBudget)
    }
}
