import Testing
@testable import RegistryCore

@Suite struct DaemonStateTests {
    let settings = StateFixtures.settings
    let fixed = StateFixtures.fixed
    let quiet = StateFixtures.quiet

    @Test func startUpConnectsThenRepairSweepsThenReportsReadyOnce() {
        var state = DaemonState(settings: settings)
        #expect(state.handle(.started, now: 0) == [.connect])
        #expect(state.handle(.connected, now: 10) == [.sweep(.repairSweep)])
        #expect(state.handle(.sweepFinished, now: 20) == [.notifyReady])
        #expect(state.readiness.isReady)
        #expect(state.sweeps.at == 600_000_020)
        #expect(state.handle(.sweepFinished, now: 30) == [])
    }

    @Test func databaseDownAtStartUpReportsReadyOnceAndRetriesUntilTheFirstSweep() {
        var state = DaemonState(settings: settings)
        #expect(state.handle(.started, now: 0) == [.connect])
        #expect(state.handle(.disconnected, now: 10, delay: fixed) == [.notifyReady])
        #expect(state.readiness.isReady && !state.sweeps.hasSwept)
        #expect(state.handle(.timer, now: 1_000_010) == [.connect])
        #expect(state.handle(.disconnected, now: 1_000_020, delay: fixed) == [])
        #expect(state.handle(.timer, now: 2_000_020) == [.connect])
        #expect(state.handle(.connected, now: 2_000_030) == [.sweep(.repairSweep)])
        #expect(state.handle(.sweepFinished, now: 2_000_040) == [])
        #expect(state.sweeps.hasSwept)
        #expect(state.sweeps.at == 602_000_040)
    }

    @Test func lostConnectionRetriesAtTheBackoffDeadlineThenRepairSweeps() {
        var state = serving(settings)
        #expect(state.handle(.disconnected, now: 100, delay: fixed) == [])
        #expect(state.nextDeadline == 1_000_100)
        #expect(state.handle(.timer, now: 500) == [])
        #expect(state.handle(.timer, now: 1_000_100) == [.connect])
        #expect(state.handle(.disconnected, now: 1_000_200, delay: fixed) == [])
        #expect(state.handle(.timer, now: 2_000_200) == [.connect])
        #expect(state.handle(.connected, now: 2_000_300) == [.sweep(.repairSweep)])
    }

    @Test func treeEventsAreDebouncedIntoOneRecheck() {
        var state = serving(settings)
        state.note(.treeChanged("developer-con-1"), now: 1_000)
        state.note(.treeChanged("developer-con-1"), now: 2_000)
        state.note(.treeChanged("stray"), now: 50_000)
        #expect(state.debounce.at == 101_000)
        #expect(state.handle(.timer, now: 100_000) == [])
        #expect(state.handle(.timer, now: 101_000) == [.recheck(["developer-con-1", "stray"])])
        #expect(state.debounce.dirty.isEmpty)
    }

    @Test func overflowBecomesOneCreateOnlySweepAfterTheDebounce() {
        var state = serving(settings)
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
        #expect(state.debounce.dirty == ["a-b-1"])
        // The past debounce deadline must not keep the timerfd firing until the reconnect.
        #expect(state.nextDeadline == 1_000_000)
        #expect(state.handle(.timer, now: 1_000_000) == [.connect])
        #expect(state.handle(.connected, now: 1_000_001) == [.sweep(.repairSweep)])
        #expect(state.debounce.dirty.isEmpty)
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
        #expect(state.watchdog.at == 5_000_000)
        _ = state.handle(.connected, now: 0)
        _ = state.handle(.sweepFinished, now: 0)
        #expect(state.handle(.timer, now: 5_000_000) == [.notifyWatchdog])
        #expect(state.watchdog.at == 10_000_000)
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
        #expect(state.watchdog.at == 17_000_000)
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
}
