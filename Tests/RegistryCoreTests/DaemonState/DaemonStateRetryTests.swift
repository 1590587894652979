import Testing
@testable import RegistryCore

/// Junk notifications, failed repairs and failed sweeps: what is owed, and when it is retried.
@Suite struct DaemonStateRetryTests {
    let settings = StateFixtures.settings
    let fixed = StateFixtures.fixed
    let quiet = StateFixtures.quiet

    @Test func junkNotificationsCostOneSweepPerIntervalAndOneWarningPerInterval() {
        let settings = DaemonState.Settings(sweepIntervalMicroseconds: 600_000_000, debounceMicroseconds: 100_000,
                                            watchdogMicroseconds: nil, junkSweepMicroseconds: 10_000_000)
        var state = serving(settings)
        // The start-up sweep began at 0: the first junk sweep waits for the interval since.
        #expect(state.handle(.junkNotifications(["x", "y"]), now: 1_000_000) == [.warnJunk(2, latest: "y")])
        #expect(state.junk.sweepAt == 10_000_000)
        var sweeps: [UInt64] = []
        var warnings: [Int] = []
        // Five junk payloads a second for 35 s, the timer served as it comes due.
        var now: UInt64 = 1_000_000
        while now < 36_000_000 {
            now += 200_000
            for action in state.handle(.junkNotifications(["junk"]), now: now) {
                if case .warnJunk(let count, "junk") = action { warnings.append(count) }
            }
            if let due = state.nextDeadline, due <= now {
                for action in state.handle(.timer, now: now) where action == .sweep(.check) {
                    sweeps.append(now)
                    _ = state.handle(.sweepFinished, now: now)
                }
            }
        }
        #expect(sweeps == [10_000_000, 20_000_000, 30_000_000])
        #expect(warnings == [50, 50, 50])
    }

    @Test func junkAfterAQuietIntervalSweepsAfterTheDebounceAndAnySweepCoversIt() {
        let settings = DaemonState.Settings(sweepIntervalMicroseconds: 600_000_000, debounceMicroseconds: 100_000,
                                            watchdogMicroseconds: nil, junkSweepMicroseconds: 10_000_000)
        var state = serving(settings)
        _ = state.handle(.junkNotifications(["junk"]), now: 50_000_000)
        #expect(state.junk.sweepAt == 50_100_000)
        // A reload's repairing sweep covers what the junk might have meant.
        #expect(state.handle(.reload, now: 50_050_000) == [.reload, .sweep(.repairSweep)])
        #expect(state.junk.sweepAt == nil)
        #expect(state.handle(.timer, now: 50_100_000) == [])
        _ = state.handle(.junkNotifications(["junk"]), now: 50_200_000)
        #expect(state.junk.sweepAt == 60_050_000)
    }

    @Test func failedRepairsAreRetriedWithBackoffUntilTheySucceed() {
        var state = serving(quiet)
        let fixedRepair: (inout Backoff) -> UInt64 = { backoff in
            _ = backoff.nextDelay()
            return 1_000_000 << UInt64(backoff.attempts - 1)
        }
        state.note(.repairsFinished(failed: ["a-b-1"]), now: 1_000_000, delay: fixedRepair)
        state.note(.repairsFinished(failed: ["a-c-2"]), now: 1_500_000, delay: fixedRepair)
        #expect(state.retries.retryAt == 2_000_000)
        #expect(state.nextDeadline == 2_000_000)
        #expect(state.handle(.timer, now: 2_000_000) == [.retryRepairs(["a-b-1", "a-c-2"])])
        #expect(state.retries.failed.isEmpty)
        // Still failing: twice the delay, and so on.
        state.note(.repairsFinished(failed: ["a-b-1"]), now: 2_100_000, delay: fixedRepair)
        #expect(state.retries.retryAt == 4_100_000)
        #expect(state.handle(.timer, now: 4_100_000) == [.retryRepairs(["a-b-1"])])
        state.note(.repairsFinished(failed: ["a-b-1"]), now: 4_200_000, delay: fixedRepair)
        #expect(state.retries.retryAt == 8_200_000)
        #expect(state.handle(.timer, now: 8_200_000) == [.retryRepairs(["a-b-1"])])
        // It worked: the next failure starts from the shortest delay again.
        state.note(.repairsFinished(failed: []), now: 8_300_000, delay: fixedRepair)
        #expect(state.retries.backoff.attempts == 0)
        #expect(state.nextDeadline == 600_000_000)
    }

    @Test func repairRetriesAreCappedInSecondsNotThePeriodicInterval() {
        var state = serving(quiet)
        var now: UInt64 = 0
        for _ in 0..<20 {
            state.note(.repairsFinished(failed: ["a-b-1"]), now: now)
            let at = state.retries.retryAt ?? 0
            #expect(at - now <= 30_000_000)
            now = at
            #expect(state.handle(.timer, now: now) == [.retryRepairs(["a-b-1"])] || now >= 600_000_000)
        }
    }

    @Test func aFullSweepCoversPendingRetries() {
        var state = serving(settings)
        state.note(.repairsFinished(failed: ["a-b-1"]), now: 0, delay: fixed)
        #expect(state.handle(.reload, now: 10) == [.reload, .sweep(.repairSweep)])
        #expect(state.retries.failed.isEmpty)
        #expect(state.retries.retryAt == nil)
    }

    @Test func aCheckSweepLeavesPendingRetriesOfRepairsToTheirRetry() {
        var state = serving(quiet)
        state.note(.repairsFinished(failed: ["a-b-1"]), now: 0, delay: fixed)
        state.note(.treeNeedsSweep, now: 10)
        #expect(state.handle(.timer, now: 100_010) == [.sweep(.check)])
        #expect(state.retries.failed == ["a-b-1"])
        #expect(state.handle(.timer, now: 1_000_000) == [.retryRepairs(["a-b-1"])])
    }

    @Test func notificationsLostOweARepairingSweepAfterTheDebounce() {
        var state = serving(quiet)
        state.note(.stepFailed(.notifications), now: 10)
        #expect(state.handle(.timer, now: 100_010) == [.sweep(.repairSweep)])
        #expect(!state.debounce.repairOwed)
        _ = state.handle(.sweepFinished, now: 200_000)
        #expect(state.handle(.timer, now: 600_200_000) == [.sweep(.check)])
    }

    @Test func aFailedSweepIsRetriedWithBackoffAndAFailedRepairingOneRepairsAgain() {
        var state = serving(quiet)
        #expect(state.handle(.reload, now: 10) == [.reload, .sweep(.repairSweep)])
        _ = state.handle(.sweepFailed(.repairSweep), now: 20, delay: fixed)
        #expect(state.nextDeadline == 1_000_020)
        #expect(state.handle(.timer, now: 1_000_020) == [.sweep(.repairSweep)])
        _ = state.handle(.sweepFailed(.repairSweep), now: 1_000_030, delay: fixed)
        #expect(state.handle(.timer, now: 2_000_030) == [.sweep(.repairSweep)])
        _ = state.handle(.sweepFinished, now: 2_000_040)
        #expect(state.nextDeadline == 602_000_040)
        // A failed check is retried as a check.
        _ = state.handle(.sweepFailed(.check), now: 3_000_000, delay: fixed)
        #expect(state.handle(.timer, now: 4_000_000) == [.sweep(.check)])
    }
}
