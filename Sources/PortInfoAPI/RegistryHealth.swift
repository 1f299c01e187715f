import Synchronization

/// Whether the registry database answers, as `/healthz` tells it: from what the API last saw,
/// never by asking the database while `/healthz` waits (a probe must not queue behind slow
/// queries, nor hold an I/O thread). Every registry query's outcome updates it. When what it
/// knows is older than `staleAfter`, or is a failure, `/healthz` has a probe query run on the
/// query threads, so that the next asker learns the outcome.
final class RegistryHealth: Sendable {
    /// Under traffic every query refreshes the state; idle, a health check a second apart at most
    /// costs one probe query (microseconds) each.
    static let staleAfter: Duration = .seconds(1)

    private struct State {
        var failing = false
        var observedAt = ContinuousClock.now
        var probing = false
    }

    private let state = Mutex(State())

    /// A query on the registry database answered (`true`) or failed.
    func observe(answered: Bool) {
        state.withLock { state in
            state.failing = !answered
            state.observedAt = .now
        }
    }

    /// Whether the database answered the query last seen; and whether the caller should run a
    /// probe (at most one at a time), calling `probeFinished` after it.
    func check() -> (answers: Bool, probe: Bool) {
        state.withLock { state in
            let probe = !state.probing && (state.failing || ContinuousClock.now - state.observedAt > Self.staleAfter)
            if probe { state.probing = true }
            return (!state.failing, probe)
        }
    }

    func probeFinished() {
        state.withLock { $0.probing = false }
    }
}
