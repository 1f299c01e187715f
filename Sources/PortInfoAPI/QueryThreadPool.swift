import Basics
import Dispatch
import Synchronization
import HostState
import HTTPServer

/// Threads of its own that run the API's slow work (SQLite queries, /proc scans), so that it never
/// runs on the HTTP server's I/O threads, where one slow request would hold up every connection
/// of its thread. Jobs wait in a first-in, first-out queue of bounded length; one that finds the
/// queue full is refused at once, for the API to answer 503 rather than let waits grow without
/// end. Jobs already queued run even after the pool is released, before its threads end.
final class QueryThreadPool: Sendable {
    typealias Job = @Sendable () -> Void

    /// Queries from SQLite's page cache keep a processor busy; /proc scans and cold pages wait in
    /// the kernel: two threads a processor keep the processors busy through those waits.
    static let threadsPerProcessor = 2
    static let defaultThreadCount = threadsPerProcessor * UsableProcessors.count()
    /// Each connection has at most one request in the queue (it reads its next one only once
    /// answered), so the queue holds one job per waiting connection: 1024 is 16 times the 64
    /// connections of the soak and four clients at their per-client connection cap (256). At about
    /// 0.1 ms a query on four threads, a full queue is a wait of some 25 ms, far from a client's
    /// patience; past it, a 503 at once serves the client better than a longer wait.
    static let defaultQueueLength = 1024

    private let shared: Shared
    let threadCount: Int
    let queueLength: Int

    /// What the pool's threads share with it; they keep it until they end.
    private final class Shared: Sendable {
        let queue: Mutex<JobQueue>
        /// Signalled once for each job queued, and once for each thread when the pool stops.
        let wakeUps = DispatchSemaphore(value: 0)

        init(queueLength: Int) {
            queue = Mutex(JobQueue(capacity: queueLength))
        }

        /// A thread's life: run jobs as they come; end on a wake-up that finds none (see `stop`).
        func serve() {
            while true {
                wakeUps.wait()
                guard let job = queue.withLock({ $0.removeFirst() }) else { return }
                job()
            }
        }
    }

    /// A ring buffer of waiting jobs.
    private struct JobQueue {
        private var slots: [Job?]
        private var first = 0
        private(set) var count = 0

        init(capacity: Int) {
            slots = Array(repeating: nil, count: capacity)
        }

        /// false when full.
        mutating func append(_ job: @escaping Job) -> Bool {
            guard count < slots.count else { return false }
            slots[(first + count) % slots.count] = job
            count += 1
            return true
        }

        mutating func removeFirst() -> Job? {
            guard count > 0 else { return nil }
            defer {
                slots[first] = nil
                first = (first + 1) % slots.count
                count -= 1
            }
            return slots[first]
        }
    }

    /// Starts `threads` threads named `name` (at most 15 bytes, the kernel's limit), with room for
    /// `queueLength` jobs waiting for them.
    init(threads: Int, queueLength: Int, name: String) throws(PortInfoAPIError) {
        precondition(threads >= 1 && queueLength >= 1, "callers validate the pool's size")
        shared = Shared(queueLength: queueLength)
        threadCount = threads
        self.queueLength = queueLength
        for _ in 0..<threads {
            let result = NamedThread.start(named: name) { [shared] in shared.serve() }
            guard result == 0 else {
                stop()
                throw .cannotStartQueryThreads(errno: result)
            }
        }
    }

    deinit {
        stop()
    }

    /// Queues `job` for the next free thread; false, and `job` dropped, when the queue is full.
    func submit(_ job: @escaping Job) -> Bool {
        guard shared.queue.withLock({ $0.append(job) }) else { return false }
        shared.wakeUps.signal()
        return true
    }

    /// Jobs waiting for a thread now.
    var waitingJobs: Int { shared.queue.withLock(\.count) }

    /// Lets every thread end once the jobs queued have run: each wake-up beyond the jobs' finds
    /// the queue empty, and ends its thread.
    private func stop() {
        for _ in 0..<threadCount { shared.wakeUps.signal() }
    }
}
