@testable import PersonaRegistry
import Testing

@Suite struct DaemonStateTests {
    let settings = DaemonState.Settings(sweepIntervalMicroseconds: 600_000_000, debounceMicroseconds: 100_000,
                                        watchdogMicroseconds: 5_000_000)
    let fixed: (inout ReconnectBackoff) -> UInt64 = { _ in 1_000_000 }

    @Test func startUpConnectsThenRepairSweepsThenReportsReadyOnce() {
        var state = DaemonState(settings: settings)
        #expect(state.handle(.started, now: 0) == [.connect])
        #expect(state.handle(.connected, now: 10) == [.sweep(.repairSweep)])
        #expect(state.handle(.sweepFinished, now: 20) == [.notifyReady])
        #expect(state.isReady)
        #expect(state.periodicSweepAt == 600_000_020)
        #expect(state.handle(.sweepFinished, now: 30) == [])
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
        _ = state.handle(.treeChanged("developer-con-1"), now: 1_000)
        _ = state.handle(.treeChanged("developer-con-1"), now: 2_000)
        _ = state.handle(.treeChanged("stray"), now: 50_000)
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
        _ = state.handle(.treeChanged("a-b-1"), now: 0)
        _ = state.handle(.treeNeedsSweep, now: 10)
        #expect(state.handle(.timer, now: 100_000) == [.sweep(.check)])
    }

    @Test func treeWorkWhileDisconnectedWaitsForTheReconnectSweep() {
        var state = DaemonState(settings: settings)
        _ = state.handle(.started, now: 0)
        _ = state.handle(.disconnected, now: 0, delay: fixed)
        _ = state.handle(.treeChanged("a-b-1"), now: 0)
        #expect(state.handle(.timer, now: 200_000) == [])
        #expect(state.dirty == ["a-b-1"])
        #expect(state.handle(.timer, now: 1_000_000) == [.connect])
        #expect(state.handle(.connected, now: 1_000_001) == [.sweep(.repairSweep)])
        #expect(state.dirty.isEmpty)
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

    @Test func reloadSweepsWithRepairWhenConnectedAndTerminateStopsEverything() {
        var state = DaemonState(settings: settings)
        _ = state.handle(.started, now: 0)
        _ = state.handle(.connected, now: 0)
        #expect(state.handle(.reload, now: 1) == [.reload, .sweep(.repairSweep)])
        #expect(state.handle(.terminate, now: 2) == [.stop])
        #expect(state.handle(.timer, now: 600_000_000) == [])
        #expect(state.handle(.reload, now: 3) == [])
    }
}
