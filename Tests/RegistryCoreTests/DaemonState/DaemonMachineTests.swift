@testable import RegistryCore
import Testing

/// The machines `DaemonState` is composed of, alone: `TreePresence`, `RepairRetries`, `Debounce`, `JunkLimiter`.
@Suite struct DaemonMachineTests {
    @Test func aMissingTreeIsRetriedAfterTheDebounceThenWithBackoff() {
        var tree = TreePresence()
        let lost = tree.lost(now: 10, debounce: 100), lostAgain = tree.lost(now: 20, debounce: 100)
        #expect(lost && !lostAgain && tree.deadline == 110)
        let due = tree.retryDue(now: 110), again = tree.retryDue(now: 120)
        #expect(due && !again)
        tree.reopenFailed(now: 120, delay: { _ in 1_000 })
        #expect(tree.deadline == 1_120)
        let reopened = tree.reopened()
        #expect(reopened && tree.deadline == nil && tree.backoff.attempts == 0)
    }

    @Test func failedRepairsAreRetriedTogetherAndTheBackoffResetsWhenNoneFail() {
        var retries = RepairRetries()
        retries.finished(failed: ["a-b-1"], now: 0, delay: { $0.nextDelay() })
        let at = retries.retryAt ?? 0
        retries.finished(failed: ["a-c-2"], now: 10, delay: { _ in 5 })
        #expect(retries.retryAt == at)
        let early = retries.due(now: at - 1), due = retries.due(now: at)
        #expect(early == nil && due == ["a-b-1", "a-c-2"] && retries.failed.isEmpty)
        retries.finished(failed: [], now: at, delay: { $0.nextDelay() })
        #expect(retries.backoff.attempts == 0)
    }

    @Test func theDebounceTakesItsEntriesOnceAndASweepCoversThem() {
        var debounce = Debounce()
        debounce.changed("a-b-1", now: 0, debounce: 100)
        debounce.changed("a-c-2", now: 50, debounce: 100)
        #expect(debounce.at == 100)
        let early = debounce.takeRecheck(now: 99), due = debounce.takeRecheck(now: 100)
        #expect(early == nil && due == ["a-b-1", "a-c-2"] && debounce.at == nil)
        debounce.needsRepair()
        debounce.needsSweep(at: 500)
        debounce.needsSweep(at: 300)
        #expect(debounce.at == 300 && debounce.sweepOwed)
        let repairs = debounce.sweepStarted(), repairsAgain = debounce.sweepStarted()
        #expect(repairs && !repairsAgain && !debounce.sweepOwed && debounce.at == nil)
    }

    @Test func junkOwesOneSweepAnIntervalAfterTheLastAndOneWarningPerInterval() {
        var junk = JunkLimiter()
        junk.sweepStarted(now: 1_000)
        let first = junk.received(2, owesSweep: true, now: 1_010, debounce: 10, interval: 500)
        let second = junk.received(3, owesSweep: true, now: 1_020, debounce: 10, interval: 500)
        #expect(first == 2 && second == nil && junk.sweepAt == 1_500)
        let later = junk.received(1, owesSweep: true, now: 1_510, debounce: 10, interval: 500)
        #expect(later == 4)
    }
}

/// `RepairPolicy.sweepCovers`: the rule of what a sweep covers, for the state and the queue alike.
@Suite struct SweepCoverageTests {
    @Test func everySweepCoversAReCheckAndOnlyARepairingOneARetry() {
        #expect(RepairPolicy.check.sweepCovers(.check))
        #expect(!RepairPolicy.check.sweepCovers(.repairSweep))
        #expect(RepairPolicy.repairSweep.sweepCovers(.repairSweep))
        #expect(RepairPolicy.check.sweepMerged(with: .repairSweep) == .repairSweep)
        #expect(RepairPolicy.repairSweep.sweepMerged(with: .check) == .repairSweep)
        #expect(RepairPolicy.check.sweepMerged(with: .check) == .check)
    }
}

/// `SweepSchedule` alone.
@Suite struct SweepScheduleTests {
    @Test func thePeriodicSweepIsDueAnIntervalAfterTheLastEndedAndTakenOnce() {
        var sweeps = SweepSchedule()
        let before = sweeps.takeDue(now: .max)
        sweeps.ended(now: 10, interval: 100)
        let early = sweeps.takeDue(now: 109), due = sweeps.takeDue(now: 110), again = sweeps.takeDue(now: 200)
        #expect(!before && sweeps.hasSwept && !early && due && !again && sweeps.at == nil)
    }

    @Test func aReloadsSweepWaitingOnALockIsNotFollowedByThePeriodicOne() {
        let settings = StateFixtures.quiet
        var state = serving(settings)
        #expect(state.handle(.reload, now: 10) == [.reload, .sweep(.repairSweep)])
        state.note(.sweepSent(.repairSweep), now: 10)
        #expect(state.sweeps.at == nil)
        // The interval passes while its query waits: no check sweep is queued behind it.
        #expect(!state.handle(.timer, now: settings.sweepIntervalMicroseconds + 1).contains(.sweep(.check)))
        _ = state.handle(.sweepFinished, now: settings.sweepIntervalMicroseconds + 2)
        #expect(state.sweeps.at == 2 * settings.sweepIntervalMicroseconds + 2)
    }
}
