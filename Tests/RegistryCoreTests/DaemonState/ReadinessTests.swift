@testable import RegistryCore
import Testing

/// `Readiness` alone: which sweep's end a reload's `READY=1` waits for.
@Suite struct ReadinessTests {
    @Test func theFirstSweepsEndIsReadyAndLaterOnesAreNot() {
        var readiness = Readiness()
        let first = readiness.sweepEnded(), second = readiness.sweepEnded()
        #expect(first && !second && readiness.isReady)
    }

    @Test func aReloadWaitsForARepairingSweepSentAfterIt() {
        var readiness = Readiness()
        _ = readiness.sweepEnded()
        readiness.reloaded()
        // The sweep in flight at the reload, and a check sent after it, do not count.
        let inFlight = readiness.sweepEnded()
        readiness.sweepSent(.check)
        let check = readiness.sweepEnded()
        readiness.sweepSent(.repairSweep)
        #expect(readiness.owed == .sweepToEnd)
        let repairing = readiness.sweepEnded()
        #expect(!inFlight && !check && repairing && !readiness.readyOwed)
    }

    @Test func nothingToWaitForIsReadyAtOnceOnlyWhenOwed() {
        var readiness = Readiness()
        let first = readiness.nothingToWaitFor(), again = readiness.nothingToWaitFor()
        readiness.reloaded()
        let reloaded = readiness.nothingToWaitFor()
        #expect(first && !again && reloaded && !readiness.readyOwed)
    }
}
