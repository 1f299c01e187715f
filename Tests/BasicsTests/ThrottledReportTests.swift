import Basics
import Testing

@Suite struct ThrottledReportTests {
    @Test func theFirstEventIsReportedThenOneLineAnIntervalWithTheCount() {
        var report = ThrottledReport(interval: .seconds(60))
        let start = ContinuousClock.now
        #expect(report.record(at: start) == 1)
        #expect(report.record(at: start + .seconds(1)) == nil)
        #expect(report.record(at: start + .seconds(59) + .milliseconds(999)) == nil)
        #expect(report.record(at: start + .seconds(60)) == 3)
        #expect(report.record(at: start + .seconds(61)) == nil)
    }
}
