@testable import PortInfoAPI
import Testing

@Suite struct LogThrottleTests {
    @Test func theFirstMessagePassesThenOneAnInterval() {
        let throttle = LogThrottle(interval: .seconds(60))
        let start = ContinuousClock.now
        #expect(throttle.allows(at: start))
        #expect(!throttle.allows(at: start + .seconds(1)))
        #expect(!throttle.allows(at: start + .seconds(59) + .milliseconds(999)))
        #expect(throttle.allows(at: start + .seconds(60)))
        #expect(!throttle.allows(at: start + .seconds(61)))
    }
}
