import Testing
@testable import RegistryCore

@Suite struct DaemonStateTests {
    let settings = DaemonState.Settings(sweepIntervalMicroseconds: 600_000_000, debounceMicroseconds: 100_000,
                                        watchdogMicroseconds: 5_000_000)
    let fixed: (inout ReconnectBackoff) -> UInt64 = { _ in 1_000_000 }
    /// Without a watchdog, so that the deadlines seen are the ones under test.
    let quiet = DaemonState.Settings(sweepIntervalMicroseconds: 600_000_000, debounceMicroseconds: 100_000, watchdogMicroseconds: nil)

    @Test func startUpConnectsThenRepairSweepsThenReportsReadyOnce() {
        var state = DaemonState(settings: settings)
        #expect(state.handle(.started, now: 0) == [.connect])
        #expect(state.handle(.connected, now: 10) == [.sweep(.repairSweep)])
        #expect(state.handle(.sweepFinished, now: 20) == [.notifyReady])
        #expect(state.isReady)
        #expect(state.periodicSweepAt == 600_000_020)
        #expect(state.handle(.sweepFinished, now: 30) == [])
    }

    @Test func databaseDownAtStartUpReportsReadyOnceAndRetriesUntilTheFirstSweep() {
        var state = DaemonState(settings: settings)
        #expect(state.handle(.started, now: 0) == [.connect])
        #expect(state.handle(.disconnected, now: 10, delay: fixed) == [.notifyReady])
        #expect(state.isReady && !state.hasSwept)
        #expect(state.handle(.timer, now: 1_000_010) == [.connect])
        #expect(state.handle(.disconnected, now: 1_000_020, delay: fixed) == [])
        #expect(state.handle(.timer, now: 2_000_020) == [.connect])
        #expect(state.handle(.connected, now: 2_000_030) == [.sweep(.repairSweep)])
        #expect(state.handle(.sweepFinished, now: 2_000_040) == [])
        #expect(state.hasSwept)
        #expect(state.periodicSweepAt == 602_000_040)
    }

    @Test func lostConnectionRetriesAtTheBackoffDeadlineThenRepairSweeps() {
        var state = DaemonState(settings: settings)
        _ = state.handle(.started, now: 0)
        _ = state.handle(.connected, now: 0)
        _ = state.handle(.sweepFinished, now: 0)
        #expect(state.handle(.disconnected, now: 100, delay: fixed) == [])
        #expect(state.nextDeadline == 1_000_100)
        #expect(state.handle(.timer, now: 500) == [])
        #expect(state.handle(.timer, now: 1_000_100) == [.connect])
        #expect(state.handle(.disconnected, now: 1_000_200, delay: fixed) == [])
        #expect(state.handle(.timer, now: 2_000_200) == [.connect])
        #expect(state.handle(.connected, now: 2_000_300) == [.sweep(.repairSweep)])
    }

    @Test func treeEventsAreDebouncedIntoOneRecheck() {
        var state = DaemonState(settings: settings)
        _ = state.handle(.started, now: 0)
        _ = state.handle(.connected, now: 0)
        _ = state.handle(.sweepFinished, now: 0)
        state.note(.treeChanged("developer-con-1"), now: 1_000)
        state.note(.treeChanged("developer-con-1"), now: 2_000)
        state.note(.treeChanged("stray"), now: 50_000)
        #expect(state.debounceAt == 101_000)
        #expect(state.handle(.timer, now: 100_000) == [])
        #expect(state.handle(.timer, now: 101_000) == [.recheck(["developer-con-1", "stray"])])
        #expect(state.dirty.isEmpty)
    }

    @Test func overflowBecomesOneCreateOnlySweepAfterTheDebounce() {
        var state = DaemonState(settings: settings)
        _ = state.handle(.started, now: 0)
        _ = state.handle(.connected, now: 0)
        _ = state.handle(.sweepFinished, now: 0)
        state.note(.treeChanged("a-b-1"), now: 0)
        state.note(.treeNeedsSweep, now: 10)
        #expect(state.handle(.timer, now: 100_000) == [.sweep(.check)])
    }

    @Test func treeWorkWhileDisconnectedWaitsForTheReconnectSweep() {
        var state = DaemonState(settings: settings)
        _ = state.handle(.started, now: 0)
        _ = state.handle(.disconnected, now: 0, delay: fixed)
        state.note(.treeChanged("a-b-1"), now: 0)
        #expect(state.handle(.timer, now: 200_000) == [])
        #expect(state.dirty == ["a-b-1"])
        // The past debounce deadline must not keep the timerfd firing until the reconnect.
        #expect(state.nextDeadline == 1_000_000)
        #expect(state.handle(.timer, now: 1_000_000) == [.connect])
        #expect(state.handle(.connected, now: 1_000_001) == [.sweep(.repairSweep)])
        #expect(state.dirty.isEmpty)
    }

    @Test func pastSweepDeadlineWhileDisconnectedWaitsForTheRetry() {
        var state = DaemonState(settings: DaemonState.Settings(
            sweepIntervalMicroseconds: 600_000_000, debounceMicroseconds: 100_000, watchdogMicroseconds: nil))
        _ = state.handle(.started, now: 0)
        _ = state.handle(.connected, now: 0)
        _ = state.handle(.sweepFinished, now: 0)
        _ = state.handle(.disconnected, now: 599_999_000, delay: fixed)
        state.note(.treeChanged("a-b-1"), now: 599_999_500)
        #expect(state.handle(.timer, now: 600_000_000) == [])
        #expect(state.nextDeadline == 600_999_000)
        #expect(state.handle(.timer, now: 600_999_000) == [.connect])
        #expect(state.handle(.connected, now: 601_000_000) == [.sweep(.repairSweep)])
        _ = state.handle(.sweepFinished, now: 601_000_100)
        #expect(state.nextDeadline == 1_201_000_100)
    }

    @Test func periodicSweepAndWatchdogFollowTheirIntervals() {
        var state = DaemonState(settings: settings)
        _ = state.handle(.started, now: 0)
        #expect(state.watchdogAt == 5_000_000)
        _ = state.handle(.connected, now: 0)
        _ = state.handle(.sweepFinished, now: 0)
        #expect(state.handle(.timer, now: 5_000_000) == [.notifyWatchdog])
        #expect(state.watchdogAt == 10_000_000)
        let actions = state.handle(.timer, now: 600_000_000)
        #expect(actions == [.notifyWatchdog, .sweep(.check)])
    }

    @Test func watchdogIsDueDuringALongSweepAtHalfTheInterval() {
        var state = DaemonState(settings: settings)
        _ = state.handle(.started, now: 0)
        _ = state.handle(.connected, now: 0)
        let due = [4_999_999, 5_000_000, 5_000_001, 9_999_999, 12_000_000].map { state.watchdogDue(now: $0) }
        #expect(due == [false, true, false, false, true])
        // The loop's timer follows the pings sent during the sweep.
        #expect(state.watchdogAt == 17_000_000)
        #expect(state.nextDeadline == 17_000_000)
        #expect(state.handle(.timer, now: 12_000_001) == [])
    }

    @Test func noWatchdogWithoutWatchdogUsec() {
        var state = DaemonState(settings: DaemonState.Settings(
            sweepIntervalMicroseconds: 600_000_000, debounceMicroseconds: 100_000, watchdogMicroseconds: nil))
        _ = state.handle(.started, now: 0)
        let due = [0, UInt64.max].map { state.watchdogDue(now: $0) }
        #expect(due == [false, false])
    }

    @Test func reloadSweepsWithRepairWhenConnectedAndTerminateStopsEverything() {
        var state = DaemonState(settings: settings)
        _ = state.handle(.started, now: 0)
        _ = state.handle(.connected, now: 0)
        #expect(state.handle(.reload, now: 1) == [.reload, .sweep(.repairSweep)])
        #expect(state.handle(.terminate, now: 2) == [])
        #expect(state.isStopping)
        #expect(state.handle(.timer, now: 600_000_000) == [])
        #expect(state.handle(.reload, now: 3) == [])
    }

    /// Connected, first sweep done at `now`.
    private func serving(_ settings: DaemonState.Settings, at now: UInt64 = 0) -> DaemonState {
        var state = DaemonState(settings: settings)
        _ = state.handle(.started, now: now)
        _ = state.handle(.connected, now: now)
        _ = state.handle(.sweepFinished, now: now)
        return state
    }

    @Test func junkNotificationsCostOneSweepPerIntervalAndOneWarningPerInterval() {
        let settings = DaemonState.Settings(sweepIntervalMicroseconds: 600_000_000, debounceMicroseconds: 100_000,
                                            watchdogMicroseconds: nil, junkSweepMicroseconds: 10_000_000)
        var state = serving(settings)
        // The start-up sweep began at 0: the first junk sweep waits for the interval since.
        #expect(state.handle(.junkNotifications(["x", "y"]), now: 1_000_000) == [.warnJunk(2, latest: "y")])
        #expect(state.junkSweepAt == 10_000_000)
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
        #expect(state.junkSweepAt == 50_100_000)
        // A reload's repairing sweep covers what the junk might have meant.
        #expect(state.handle(.reload, now: 50_050_000) == [.reload, .sweep(.repairSweep)])
        #expect(state.junkSweepAt == nil)
        #expect(state.handle(.timer, now: 50_100_000) == [])
        _ = state.handle(.junkNotifications(["junk"]), now: 50_200_000)
        #expect(state.junkSweepAt == 60_050_000)
    }

    @Test func failedRepairsAreRetriedWithBackoffUntilTheySucceed() {
        var state = serving(quiet)
        let fixedRepair: (inout ReconnectBackoff) -> UInt64 = { backoff in
            _ = backoff.nextDelay()
            return 1_000_000 << UInt64(backoff.attempts - 1)
        }
        state.note(.repairsFinished(failed: ["a-b-1"]), now: 1_000_000, delay: fixedRepair)
        state.note(.repairsFinished(failed: ["a-c-2"]), now: 1_500_000, delay: fixedRepair)
        #expect(state.repairRetryAt == 2_000_000)
        #expect(state.nextDeadline == 2_000_000)
        #expect(state.handle(.timer, now: 2_000_000) == [.retryRepairs(["a-b-1", "a-c-2"])])
        #expect(state.failedEntries.isEmpty)
        // Still failing: twice the delay, and so on.
        state.note(.repairsFinished(failed: ["a-b-1"]), now: 2_100_000, delay: fixedRepair)
        #expect(state.repairRetryAt == 4_100_000)
        #expect(state.handle(.timer, now: 4_100_000) == [.retryRepairs(["a-b-1"])])
        state.note(.repairsFinished(failed: ["a-b-1"]), now: 4_200_000, delay: fixedRepair)
        #expect(state.repairRetryAt == 8_200_000)
        #expect(state.handle(.timer, now: 8_200_000) == [.retryRepairs(["a-b-1"])])
        // It worked: the next failure starts from the shortest delay again.
        state.note(.repairsFinished(failed: []), now: 8_300_000, delay: fixedRepair)
        #expect(state.repairBackoff.attempts == 0)
        #expect(state.nextDeadline == 600_000_000)
    }

    @Test func repairRetriesAreCappedInSecondsNotThePeriodicInterval() {
        var state = serving(quiet)
        var now: UInt64 = 0
        for _ in 0..<20 {
            state.note(.repairsFinished(failed: ["a-b-1"]), now: now)
            let at = state.repairRetryAt ?? 0
            #expect(at - now <= 30_000_000)
            now = at
            #expect(state.handle(.timer, now: now) == [.retryRepairs(["a-b-1"])] || now >= 600_000_000)
        }
    }

    @Test func aFullSweepCoversPendingRetries() {
        var state = serving(settings)
        state.note(.repairsFinished(failed: ["a-b-1"]), now: 0, delay: fixed)
        #expect(state.handle(.reload, now: 10) == [.reload, .sweep(.repairSweep)])
        #expect(state.failedEntries.isEmpty)
        #expect(state.repairRetryAt == nil)
    }

    @Test func aCheckSweepLeavesPendingRetriesOfRepairsToTheirRetry() {
        var state = serving(quiet)
        state.note(.repairsFinished(failed: ["a-b-1"]), now: 0, delay: fixed)
        state.note(.treeNeedsSweep, now: 10)
        #expect(state.handle(.timer, now: 100_010) == [.sweep(.check)])
        #expect(state.failedEntries == ["a-b-1"])
        #expect(state.handle(.timer, now: 1_000_000) == [.retryRepairs(["a-b-1"])])
    }

    @Test func notificationsLostOweARepairingSweepAfterTheDebounce() {
        var state = serving(quiet)
        state.note(.notificationsLost, now: 10)
        #expect(state.handle(.timer, now: 100_010) == [.sweep(.repairSweep)])
        #expect(!state.repairOwed)
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

    @Test func aLostTreeIsMadeAgainAfterTheDebounceThenWithBackoffAndNothingIsSweptMeanwhile() {
        var state = serving(quiet)
        state.note(.treeChanged("a-b-1"), now: 100)
        state.note(.repairsFinished(failed: ["a-c-2"]), now: 100, delay: fixed)
        state.note(.treeLost, now: 1_000)
        #expect(state.treeMissing)
        #expect(state.dirty.isEmpty && state.failedEntries.isEmpty)
        #expect(state.nextDeadline == 101_000)
        #expect(state.handle(.timer, now: 101_000) == [.reopenTree])
        // Not again until this attempt reports back.
        #expect(state.treeRetryAt == UInt64.max)
        state.note(.treeReopenFailed, now: 102_000, delay: fixed)
        #expect(state.nextDeadline == 1_102_000)
        // Events, junk and a reload sweep nothing while the tree is missing.
        state.note(.treeChanged("x"), now: 103_000)
        state.note(.treeNeedsSweep, now: 103_000)
        _ = state.handle(.junkNotifications(["junk"]), now: 103_000)
        #expect(state.handle(.reload, now: 104_000) == [.reload, .notifyReady])
        #expect(state.handle(.timer, now: 1_000_000) == [])
        #expect(state.handle(.timer, now: 1_102_000) == [.reopenTree])
        #expect(state.handle(.treeReopened, now: 1_200_000) == [.sweep(.repairSweep)])
        #expect(!state.treeMissing)
        #expect(state.treeBackoff.attempts == 0)
    }

    @Test func aTreeMadeAgainWhileDisconnectedWaitsForTheReconnectSweep() {
        var state = serving(settings)
        _ = state.handle(.disconnected, now: 0, delay: fixed)
        state.note(.treeLost, now: 10)
        #expect(state.handle(.timer, now: 100_010) == [.reopenTree])
        #expect(state.handle(.treeReopened, now: 100_020) == [])
        #expect(state.handle(.timer, now: 1_000_000) == [.connect])
        #expect(state.handle(.connected, now: 1_000_010) == [.sweep(.repairSweep)])
    }

    @Test func aReconnectWhileTheTreeIsMissingSweepsOnlyOnceItIsBack() {
        var state = serving(settings)
        state.note(.treeLost, now: 10)
        _ = state.handle(.disconnected, now: 20, delay: fixed)
        #expect(state.handle(.timer, now: 100_010) == [.reopenTree])
        state.note(.treeReopenFailed, now: 100_020, delay: fixed)
        #expect(state.handle(.timer, now: 1_000_020) == [.connect])
        #expect(state.handle(.connected, now: 1_000_030) == [])
        #expect(state.handle(.timer, now: 1_100_020) == [.reopenTree])
        #expect(state.handle(.treeReopened, now: 1_100_030) == [.sweep(.repairSweep)])
    }
}
