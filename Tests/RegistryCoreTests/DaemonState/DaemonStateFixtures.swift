@testable import RegistryCore

/// What the state machine's tests share: their settings, a fixed backoff, and a daemon
/// already serving.
enum StateFixtures {
    static let settings = DaemonState.Settings(sweepIntervalMicroseconds: 600_000_000, debounceMicroseconds: 100_000,
                                               watchdogMicroseconds: 5_000_000)
    static let fixed: @Sendable (inout Backoff) -> UInt64 = { _ in 1_000_000 }
    /// Without a watchdog, so that the deadlines seen are the ones under test.
    static let quiet = DaemonState.Settings(sweepIntervalMicroseconds: 600_000_000, debounceMicroseconds: 100_000,
                                            watchdogMicroseconds: nil)
}

/// Connected, first sweep done at `now`: a daemon serving, as most tests begin.
func serving(_ settings: DaemonState.Settings, at now: UInt64 = 0) -> DaemonState {
    var state = DaemonState(settings: settings)
    _ = state.handle(.started, now: now)
    _ = state.handle(.connected, now: now)
    _ = state.handle(.sweepFinished, now: now)
    return state
}
