import Foundation
import HostState
@testable import PortInfoAPI
import Synchronization
import Testing
import TestSupport

@Suite struct QueryThreadPoolTests {
    /// The name the kernel has for the calling thread.
    static func threadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .newlines)
    }

    @Test func jobsRunInTheOrderQueuedOnThreadsOfThePoolsOwn() throws {
        let pool = try QueryThreadPool(threads: 1, queueLength: 100, name: "pool-test")
        let order = Mutex<[Int]>([])
        let names = Mutex<Set<String>>([])
        let done = DispatchSemaphore(value: 0)
        for index in 0..<100 {
            #expect(pool.submit {
                order.withLock { $0.append(index) }
                names.withLock { _ = $0.insert(Self.threadName()) }
                done.signal()
            })
        }
        for _ in 0..<100 { done.wait() }
        #expect(order.withLock { $0 } == Array(0..<100))
        #expect(names.withLock { $0 } == ["pool-test"])
    }

    @Test func aFullQueueRefusesAtOnceAndTheQueuedJobsStillRun() throws {
        let pool = try QueryThreadPool(threads: 1, queueLength: 2, name: "pool-test")
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        #expect(pool.submit { started.signal(); release.wait(); finished.signal() })
        started.wait() // the thread holds the first job: the queue is empty
        #expect(pool.submit { finished.signal() })
        #expect(pool.submit { finished.signal() })
        #expect(pool.waitingJobs == 2)
        #expect(!pool.submit { Issue.record("a job refused ran") })
        release.signal()
        for _ in 0..<3 { finished.wait() }
        #expect(pool.waitingJobs == 0)
        #expect(pool.submit { finished.signal() })
        finished.wait()
    }

    @Test func jobsQueuedWhenThePoolIsReleasedStillRun() throws {
        var pool: QueryThreadPool? = try QueryThreadPool(threads: 2, queueLength: 10, name: "pool-test")
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        for _ in 0..<2 { #expect(pool?.submit { started.signal(); release.wait(); finished.signal() } == true) }
        for _ in 0..<2 { started.wait() }
        for _ in 0..<5 { #expect(pool?.submit { finished.signal() } == true) }
        pool = nil
        for _ in 0..<2 { release.signal() }
        for _ in 0..<7 { #expect(finished.wait(timeout: .now() + 10) == .success) }
    }

    @Test func byDefaultTwoThreadsAProcessorAndRoomFor1024() throws {
        // The processors this process may use (taskset, a container's CPU limit), not the machine's.
        #expect(QueryThreadPool.defaultThreadCount == 2 * UsableProcessors.count())
        #expect(QueryThreadPool.defaultQueueLength == 1024)
        let folder = TemporaryDirectory()
        let api = try PortInfoAPI(configuration: APIConfiguration(databasePath: try seededDatabase(trapsCSV, in: folder)))
        #expect(api.configuration.queryThreads == QueryThreadPool.defaultThreadCount)
        #expect(throws: PortInfoAPIError.invalidQueryPoolSize(threads: 0, queueLength: 1)) {
            try PortInfoAPI(configuration: APIConfiguration(databasePath: try seededDatabase(trapsCSV, in: folder, name: "b.db"), queryThreads: 0,
                                                            queryQueueLength: 1))
        }
    }
}
