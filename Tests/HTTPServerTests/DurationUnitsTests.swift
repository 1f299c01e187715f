@testable import HTTPServer
import Testing

struct DurationUnitsTests {
    @Test(arguments: [
        (Duration.zero, Int64(0)),
        (.nanoseconds(1), 1),
        (.microseconds(999), 1),
        (.milliseconds(1), 1),
        (.nanoseconds(1_000_001), 2),
        (.milliseconds(100), 100),
        (.seconds(3) + .nanoseconds(1), 3001),
        (.milliseconds(-5), 0),
    ])
    func epollTimeoutsRoundUpSoThatAWaitNeverEndsEarly(duration: Duration, milliseconds: Int64) {
        #expect(duration.millisecondsRoundedUp == milliseconds)
    }

    @Test func nanosecondsRoundDown() {
        #expect((Duration.seconds(2) + .nanoseconds(7)).nanoseconds == 2_000_000_007)
        #expect(Duration(secondsComponent: 0, attosecondsComponent: 1_999_999_999).nanoseconds == 1)
    }
}
