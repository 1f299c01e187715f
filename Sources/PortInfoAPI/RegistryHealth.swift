import Synchronization

/// Whether the registry database answers, as `/healthz` tells it: from what the API last saw,
/// never by asking the database while `/healthz` waits (a probe must not queue behind slow
/// queries, nor hold an I/O thread). Every registry query's outcome updates it. When what it
/// knows is older than `staleAfter`, or is a failure, `/healthz` has a probe query run on the
/// query threads, so that the next asker learns the outcome. A database SQLite's quick_check
/// found damaged stays failing: only a new seed (and a restart) mends it.
final class RegistryHealth: Sendable {
    /// Under traffic every query refreshes the state; idle, a health check a second apart at most
    /// costs one probe query (microseconds) each.
    static let staleAfter: Duration = .seconds(1)

    enum Failure: Equatable {
        /// SQLite's quick_check found the file damaged.
        case damaged
        /// The last query failed (not for its time budget: a slow query says nothing of the file).
        case lastQueryFailed
    }

    private struct State {
        var damaged = false
        var lastQueryFailed = false
        var observedAt = ContinuousClock.now
        var probing = false
    }

    private let state = Mutex(State())

    /// A query on the registry database answered (`true`) or failed.
    func observe(answered: Bool) {
        state.withLock { state in
            state.lastQueryFailed = !answered
            state.observedAt = .now
        }
    }

    /// SQLite's quick_check found the file damaged.
    func checkFoundDamage() {
        state.withLock { $0.damaged = true }
    }

    /// Why the database is failing, if it is; and whether the caller should run a probe (at
    /// most one at a time), calling `probeFinished` after it.
    func check() -> (failure: Failure?, probe: Bool) {
        state.withLock { state in
            let failure: Failure? = state.damaged ? .damaged : state.lastQueryFailed ? .lastQueryFailed : nil
            let probe = !state.probing && !state.damaged
                && (state.lastQueryFailed || ContinuousClock.now - state.observedAt > Self.staleAfter)
            if probe { state.probing = true }
            return (failure, probe)
        }
    }

    func probeFinished() {
        state.withLock { $0.probing = false }
    }
}
