import Testing
import RegistryCore

/// When `READY=1` is sent: once at start-up, and after each reload (`RELOADING=1`).
@Suite("daemon state: readiness")
struct DaemonStateReadinessTests {
    let settings = DaemonState.Settings(sweepIntervalMicroseconds: 600_000_000, debounceMicroseconds: 100_000,
                                        watchdogMicroseconds: nil)


    @Test("a reload while connected owes READY=1 until its repairing sweep ends, and only once")
    func afterTheReloadSweep() {
        var state = serving(settings)
        #expect(state.handle(.reload, now: 10) == [.reload, .sweep(.repairSweep)])
        #expect(state.readiness.readyOwed)
        state.note(.sweepSent(.repairSweep), now: 15)
        state.note(.treeChanged("a-b-1"), now: 20)
        #expect(state.handle(.sweepFinished, now: 30) == [.notifyReady])
        #expect(!state.readiness.readyOwed)
        #expect(state.handle(.sweepFinished, now: 40) == [])
    }

    @Test("a reload while a check sweep is in flight: READY=1 when the repairing sweep sent after it ends, not that check")
    func reloadDuringACheckSweep() {
        var state = serving(settings)
        #expect(state.handle(.timer, now: settings.sweepIntervalMicroseconds) == [.sweep(.check)])
        state.note(.sweepSent(.check), now: settings.sweepIntervalMicroseconds)
        // The reload's repairing sweep is queued behind the check's query.
        #expect(state.handle(.reload, now: settings.sweepIntervalMicroseconds + 10) == [.reload, .sweep(.repairSweep)])
        #expect(state.handle(.sweepFinished, now: settings.sweepIntervalMicroseconds + 20) == [])
        #expect(state.readiness.owed == .sweepToBegin)
        state.note(.sweepSent(.repairSweep), now: settings.sweepIntervalMicroseconds + 20)
        #expect(state.handle(.sweepFinished, now: settings.sweepIntervalMicroseconds + 30) == [.notifyReady])
        #expect(!state.readiness.readyOwed)
    }

    @Test("a reload's sweep cut short by a lost connection: READY=1 then, not at the reconnection")
    func connectionLostFirst() {
        var state = serving(settings)
        _ = state.handle(.reload, now: 10)
        #expect(state.handle(.disconnected, now: 20, delay: { _ in 1_000 }) == [.notifyReady])
        #expect(state.handle(.connected, now: 2_000) == [.sweep(.repairSweep)])
        state.note(.sweepSent(.repairSweep), now: 2_000)
        #expect(state.handle(.sweepFinished, now: 3_000) == [])
    }

    @Test("a reload with no sweep to follow (disconnected, or the tree missing) is ready at once")
    func noSweepToWaitFor() {
        var disconnected = serving(settings)
        _ = disconnected.handle(.disconnected, now: 10, delay: { _ in 1_000 })
        #expect(disconnected.handle(.reload, now: 20) == [.reload, .notifyReady])
        #expect(!disconnected.readiness.readyOwed)
        var treeMissing = serving(settings)
        treeMissing.note(.treeLost, now: 10)
        #expect(treeMissing.handle(.reload, now: 20) == [.reload, .notifyReady])
        #expect(treeMissing.handle(.treeReopened, now: 30) == [.sweep(.repairSweep)])
        treeMissing.note(.sweepSent(.repairSweep), now: 35)
        #expect(treeMissing.handle(.sweepFinished, now: 40) == [])
    }

    @Test("the first failed connection attempt is ready at once; later ones are not")
    func firstAttemptFails() {
        var state = DaemonState(settings: settings)
        _ = state.handle(.started, now: 0)
        #expect(state.handle(.disconnected, now: 1, delay: { _ in 1_000 }) == [.notifyReady])
        #expect(state.handle(.disconnected, now: 2_000, delay: { _ in 1_000 }) == [])
        _ = state.handle(.connected, now: 3_000)
        #expect(state.handle(.sweepFinished, now: 4_000) == [])
    }
}
