import Testing
import RegistryCore

/// The set-up after connecting (the standby check, `LISTEN`) is answered through the loop:
/// the state machine gives up on it at its deadline, and keeps the watchdog, signals and
/// readiness meanwhile as while disconnected.
@Suite("daemon state: the set-up of a connection")
struct DaemonStateSetUpTests {
    let quiet = StateFixtures.quiet
    let fixed = StateFixtures.fixed

    /// Started at 0, connected at `now`, its set-up sent with `timeout`.
    func settingUp(_ settings: DaemonState.Settings, timeout: UInt64?, at now: UInt64 = 1_000) -> DaemonState {
        var state = DaemonState(settings: settings)
        _ = state.handle(.started, now: 0)
        state.note(.settingUp(timeoutMicroseconds: timeout), now: now)
        state.note(.querySent, now: now)
        return state
    }

    @Test("not answered by its deadline: abandoned once, then retried with backoff, READY=1 as a failed attempt")
    func abandonedAtTheDeadline() {
        var state = settingUp(quiet, timeout: 2_000_000)
        #expect(state.connection.phase == .settingUp(until: 2_001_000))
        #expect(state.nextDeadline == 2_001_000)
        #expect(state.handle(.timer, now: 2_000_999) == [])
        // Not reported as a slow query as well: the failure says it did not answer.
        #expect(state.handle(.timer, now: 2_001_000) == [.abandonSetUp])
        #expect(state.nextDeadline == nil)
        #expect(state.handle(.timer, now: 3_000_000) == [])
        #expect(state.handle(.disconnected, now: 2_001_000, delay: fixed) == [.notifyReady])
        #expect(state.nextDeadline == 3_001_000)
        #expect(state.handle(.timer, now: 3_001_000) == [.connect])
    }

    @Test("answered in time: the repairing sweep, and no deadline left behind")
    func answered() {
        var state = settingUp(quiet, timeout: 2_000_000)
        #expect(state.queryAnswered(now: 500_000) == nil)
        #expect(state.handle(.connected, now: 600_000) == [.sweep(.repairSweep)])
        #expect(state.handle(.timer, now: 2_001_000) == [])
        #expect(state.handle(.sweepFinished, now: 2_100_000) == [.notifyReady])
    }

    @Test("no limit (connect_timeout=0): never abandoned; a statement waiting long is reported as any query")
    func noLimit() {
        var state = settingUp(quiet, timeout: nil)
        #expect(state.connection.phase == .settingUp(until: nil))
        #expect(state.nextDeadline == 1_000 + quiet.slowQueryMicroseconds)
        #expect(state.handle(.timer, now: 1_000 + quiet.slowQueryMicroseconds) == [.reportSlowQuery(waited: quiet.slowQueryMicroseconds)])
        #expect(state.nextDeadline == nil)
    }

    @Test("the watchdog keeps its pace while the set-up waits, and TERM stops at once")
    func watchdogAndTerm() {
        var state = settingUp(StateFixtures.settings, timeout: 60_000_000)
        #expect(state.nextDeadline == 5_000_000)
        #expect(state.handle(.timer, now: 5_000_000) == [.notifyWatchdog])
        #expect(state.handle(.timer, now: 10_000_000) == [.notifyWatchdog, .reportSlowQuery(waited: 9_999_000)])
        #expect(state.handle(.terminate, now: 11_000_000) == [])
        #expect(state.isStopping)
        #expect(state.handle(.timer, now: 61_000_000) == [])
    }

    @Test("tree changes wait for the set-up: its repairing sweep covers them")
    func treeChangesWait() {
        var state = settingUp(quiet, timeout: 2_000_000)
        state.note(.treeChanged("a-b-1"), now: 10_000)
        #expect(state.nextDeadline == 2_001_000)
        #expect(state.handle(.timer, now: 200_000) == [])
        #expect(state.handle(.connected, now: 300_000) == [.sweep(.repairSweep)])
        #expect(state.debounce.dirty.isEmpty)
    }

    @Test("a reload while the set-up waits: READY=1 after its sweep, or at its failure, not before")
    func reloadWhileSettingUp() {
        var answered = settingUp(quiet, timeout: 2_000_000)
        #expect(answered.handle(.reload, now: 10_000) == [.reload])
        #expect(answered.handle(.connected, now: 20_000) == [.sweep(.repairSweep)])
        #expect(answered.handle(.sweepFinished, now: 30_000) == [.notifyReady])
        var abandoned = settingUp(quiet, timeout: 2_000_000)
        #expect(abandoned.handle(.reload, now: 10_000) == [.reload])
        #expect(abandoned.handle(.timer, now: 2_001_000) == [.abandonSetUp])
        #expect(abandoned.handle(.disconnected, now: 2_001_000, delay: fixed) == [.notifyReady])
    }

    @Test("a reconnection's set-up: nothing swept or re-checked until it is answered")
    func reconnection() {
        var state = serving(quiet)
        _ = state.handle(.disconnected, now: 10, delay: fixed)
        #expect(state.handle(.timer, now: 1_000_010) == [.connect])
        state.note(.settingUp(timeoutMicroseconds: 5_000_000), now: 1_000_020)
        #expect(!state.isConnected)
        #expect(state.handle(.timer, now: 600_000_000) == [.abandonSetUp])
        #expect(state.handle(.disconnected, now: 600_000_000, delay: fixed) == [])
    }

    @Test("a deadline no clock reaches does not overflow")
    func hugeTimeout() {
        let state = settingUp(quiet, timeout: .max)
        #expect(state.connection.phase == .settingUp(until: .max))
    }
}
