import Testing
import RegistryCore

/// A query waiting on the server (a lock held elsewhere) is reported once, by the
/// state machine's timer, and its answer after such a wait is worth a line too.
@Suite("daemon state: a query that waits long")
struct DaemonStateSlowQueryTests {
    let settings = DaemonState.Settings(sweepIntervalMicroseconds: 600_000_000, debounceMicroseconds: 100_000,
                                        watchdogMicroseconds: nil, slowQueryMicroseconds: 5_000_000)


    @Test("reported once when it has waited the limit, and its answer says how long")
    func reportedOnce() {
        var state = serving(settings)
        state.note(.querySent, now: 1_000_000)
        #expect(state.nextDeadline == 6_000_000)
        #expect(state.handle(.timer, now: 5_999_999) == [])
        #expect(state.handle(.timer, now: 6_500_000) == [.reportSlowQuery(waited: 5_500_000)])
        // Not again, and no longer a deadline: the timerfd must not fire continuously.
        #expect(state.nextDeadline == 600_000_000)
        #expect(state.handle(.timer, now: 20_000_000) == [])
        #expect(state.queryAnswered(now: 21_000_000) == 20_000_000)
        #expect(state.slowQuery.sentAt == nil)
    }

    @Test("answered in time: nothing to say, and the next query has a limit of its own")
    func answeredInTime() {
        var state = serving(settings)
        state.note(.querySent, now: 1_000_000)
        #expect(state.queryAnswered(now: 2_000_000) == nil)
        #expect(state.nextDeadline == 600_000_000)
        state.note(.querySent, now: 3_000_000)
        #expect(state.handle(.timer, now: 8_000_000) == [.reportSlowQuery(waited: 5_000_000)])
    }

    @Test("a lost connection takes the query with it")
    func lostConnection() {
        var state = serving(settings)
        state.note(.querySent, now: 1_000_000)
        _ = state.handle(.disconnected, now: 2_000_000) { _ in 1_000_000 }
        #expect(state.slowQuery.sentAt == nil)
        #expect(state.nextDeadline == 3_000_000)
    }
}
