import Dispatch
import Foundation
@testable import HostState
import Synchronization
import Testing
import TestSupport

/// A clock that moves only when told to.
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { instant.withLock { $0 } }

    func advance(by duration: Duration) {
        instant.withLock { $0 = $0.advanced(by: duration) }
    }
}

/// A scan that counts its runs, answers with as many listeners as runs so far, and, when gated,
/// holds each run until the test opens the gate.
final class CountingScan: Sendable {
    private let runs = Mutex(0)
    private let failures = Mutex(0)
    let started = DispatchSemaphore(value: 0)
    let gate: DispatchSemaphore?

    init(gated: Bool = false, failingFirst failures: Int = 0) {
        gate = gated ? DispatchSemaphore(value: 0) : nil
        self.failures.withLock { $0 = failures }
    }

    var count: Int { runs.withLock { $0 } }

    func run() throws(HostStateError) -> [Listener] {
        let run = runs.withLock { runs in
            runs += 1
            return runs
        }
        started.signal()
        gate?.wait()
        if failures.withLock({ failures in
            defer { failures = max(0, failures - 1) }
            return failures > 0
        }) { throw .unreadable(path: "/proc/net/tcp", reason: "failure \(run)") }
        return (0..<run).map { Listener(transport: .tcp, family: .ipv4, address: "127.0.0.1", port: $0, pid: nil, process: nil, user: nil) }
    }
}

func scanner(_ scan: CountingScan, maxAge: Duration, clock: ManualClock = ManualClock()) -> ListenerScanner {
    ListenerScanner(maxAge: maxAge, now: { clock.now }, scan: { () throws(HostStateError) in (try scan.run(), MalformedLines()) })
}

/// Runs `body` on `count` threads of their own (real threads: callers block while they wait)
/// and returns what each got, once all have finished.
func onThreads<Value: Sendable>(_ count: Int, _ body: @escaping @Sendable () -> Value) -> [Value] {
    let results = Mutex<[Value]>([])
    let finished = DispatchGroup()
    for _ in 0..<count {
        finished.enter()
        Thread.detachNewThread {
            let value = body()
            results.withLock { $0.append(value) }
            finished.leave()
        }
    }
    finished.wait()
    return results.withLock { $0 }
}

struct ListenerScannerTests {
    static let callers = 32

    @Test func concurrentCallersShareTheScanInProgress() throws {
        let scan = CountingScan(gated: true)
        let scanner = scanner(scan, maxAge: .zero)
        let first = Mutex<[Listener]?>(nil)
        let firstDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            first.withLock { $0 = try? scanner.listeners() }
            firstDone.signal()
        }
        scan.started.wait()
        // The rest arrive while the first caller's scan is held at the gate, and wait for it.
        let waiting = Mutex<[[Listener]?]>([])
        let allDone = DispatchGroup()
        for _ in 1..<Self.callers {
            allDone.enter()
            Thread.detachNewThread {
                let listeners = try? scanner.listeners()
                waiting.withLock { $0.append(listeners) }
                allDone.leave()
            }
        }
        #expect(waitUntil { scanner.waitingCallers == Self.callers - 1 })
        scan.gate?.signal()
        firstDone.wait()
        allDone.wait()
        #expect(scan.count == 1)
        #expect(scanner.waitingCallers == 0)
        let expected = first.withLock { $0 }
        #expect(expected?.count == 1)
        #expect(waiting.withLock { $0 }.allSatisfy { $0 == expected })
    }

    @Test func manyCallersAtOnceCostOneScanWhileItIsFresh() {
        let scan = CountingScan()
        let scanner = scanner(scan, maxAge: .seconds(1))
        let results = onThreads(Self.callers) { try? scanner.listeners() }
        #expect(scan.count == 1)
        #expect(results.allSatisfy { $0?.count == 1 })
    }

    @Test func aResultIsReusedUntilItIsMaxAgeOld() throws {
        let scan = CountingScan()
        let clock = ManualClock()
        let scanner = scanner(scan, maxAge: .seconds(1), clock: clock)
        #expect(scanner.maxAge == .seconds(1))
        #expect(try scanner.listeners().count == 1)
        clock.advance(by: .milliseconds(999))
        #expect(try scanner.listeners().count == 1)
        #expect(scan.count == 1)
        clock.advance(by: .milliseconds(1))
        #expect(try scanner.listeners().count == 2)
        #expect(try scanner.listeners().count == 2)
        #expect(scan.count == 2)
    }

    @Test func maxAgeZeroScansForEveryCaller() throws {
        let scan = CountingScan()
        let scanner = scanner(scan, maxAge: .zero)
        for expected in 1...3 { #expect(try scanner.listeners().count == expected) }
        #expect(scan.count == 3)
    }

    @Test func aFailureReachesItsWaitersButIsNotReused() throws {
        let scan = CountingScan(gated: true, failingFirst: 1)
        let scanner = scanner(scan, maxAge: .seconds(60))
        let errors = Mutex<[HostStateError]>([])
        let allDone = DispatchGroup()
        let call: @Sendable () -> Void = {
            do throws(HostStateError) { _ = try scanner.listeners() } catch { errors.withLock { $0.append(error) } }
            allDone.leave()
        }
        allDone.enter()
        Thread.detachNewThread(call)
        scan.started.wait()
        allDone.enter()
        Thread.detachNewThread(call)
        #expect(waitUntil { scanner.waitingCallers == 1 })
        scan.gate?.signal()
        allDone.wait()
        #expect(errors.withLock { $0 } == Array(repeating: .unreadable(path: "/proc/net/tcp", reason: "failure 1"), count: 2))
        scan.gate?.signal()
        #expect(try scanner.listeners().count == 2)
        #expect(scan.count == 2)
    }

    @Test func eachScanRunIsTimedAndAReusedResultIsNot() throws {
        let clock = ManualClock()
        let timings = Mutex<[Duration]>([])
        let scanner = ListenerScanner(maxAge: .seconds(1), now: { clock.now }, scanTook: { took in timings.withLock { $0.append(took) } },
                                      scan: { () throws(HostStateError) in
            clock.advance(by: .milliseconds(7))
            return ([], MalformedLines())
        })
        _ = try scanner.listeners()
        _ = try scanner.listeners()
        #expect(timings.withLock { $0 } == [.milliseconds(7)])
        clock.advance(by: .seconds(1))
        _ = try scanner.listeners()
        #expect(timings.withLock { $0 } == [.milliseconds(7), .milliseconds(7)])
    }

    @Test func theDefaultMaxAgeIsOneSecond() {
        #expect(ListenerScanner.defaultMaxAge == .seconds(1))
        #expect(ListenerScanner().maxAge == .seconds(1))
    }
}
