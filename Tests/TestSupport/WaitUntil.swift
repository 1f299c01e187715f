import Foundation

/// Asks `condition` every `poll` until it holds: true as soon as it does, false once `timeout`
/// has passed without it. A test that needs the state says so: `#expect(waitUntil { … })`.
///
/// The timeout is there to end a test whose state never comes (a defect), never to judge how soon
/// it came: it is generous, so that a machine under load passes all the same, and a test must not
/// shorten it to make a speed an assertion. The condition is asked once more after the timeout,
/// so a state that came during the last pause still counts.
public func waitUntil(timeout: Duration = .seconds(20), poll: Duration = .milliseconds(20),
                      _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        Thread.sleep(forTimeInterval: poll / .seconds(1))
    }
}
