@testable import PortInfoAPI
import Registry
import Testing

/// The registry watcher's state as a value: what /healthz says of the files and of the watcher.
@Suite struct RegistryWatchTests {
    let start = ContinuousClock.now
    let file = WatchedFileState.missing

    @Test func aWatcherThatNeverCheckedIsNotStalled() {
        let watch = RegistryWatch(file: file, siteFile: nil)
        #expect(watch.degradedReason(at: start + .seconds(3600)) == nil)
    }

    @Test func aCheckThatDoesNotEndWithinTheLimitIsDegraded() {
        var watch = RegistryWatch(file: file, siteFile: nil)
        watch.began(at: start)
        #expect(watch.degradedReason(at: start + RegistryWatch.stallLimit) == nil)
        #expect(watch.degradedReason(at: start + RegistryWatch.stallLimit + .seconds(1))
            == "the registry watcher has been checking the files for 16 s without an end")
        watch.ended(at: start + .seconds(20))
        #expect(watch.degradedReason(at: start + .seconds(21)) == nil)
    }

    @Test func aWatcherThatStoppedCheckingIsDegraded() {
        var watch = RegistryWatch(file: file, siteFile: nil)
        watch.began(at: start)
        watch.ended(at: start + .milliseconds(1))
        #expect(watch.degradedReason(at: start + .seconds(2)) == nil)
        #expect(watch.degradedReason(at: start + .seconds(30)) == "the registry watcher has not checked the files for 29 s")
    }

    @Test func aProblemWithTheFilesIsTheReasonUntilACheckFindsThemSound() {
        var watch = RegistryWatch(file: file, siteFile: nil)
        let problem = RegistryWatch.Problem(reason: "the database file is a named pipe (FIFO), not a regular file", detail: "/r.db is a FIFO")
        watch.began(at: start)
        watch.looked(file: .unusable(.notARegularFile(.fifo)), siteFile: nil, problem: problem, at: start)
        #expect(watch.degradedReason(at: start + .seconds(1)) == problem.reason)
        #expect(!watch.needsLook(file: .unusable(.notARegularFile(.fifo)), siteFile: nil, force: false))
        #expect(watch.needsLook(file: .unusable(.notARegularFile(.fifo)), siteFile: nil, force: true))
        #expect(watch.needsLook(file: .missing, siteFile: nil, force: false))
        watch.began(at: start + .seconds(1))
        watch.looked(file: .missing, siteFile: nil, problem: nil, at: start + .seconds(1))
        #expect(watch.degradedReason(at: start + .seconds(2)) == nil)
    }
}
