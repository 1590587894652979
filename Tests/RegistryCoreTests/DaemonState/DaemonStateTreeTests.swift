import Testing
@testable import RegistryCore

/// The tree removed or moved away: made again, then swept, and nothing swept meanwhile.
@Suite struct DaemonStateTreeTests {
    let settings = StateFixtures.settings
    let fixed = StateFixtures.fixed
    let quiet = StateFixtures.quiet

    @Test func aLostTreeIsMadeAgainAfterTheDebounceThenWithBackoffAndNothingIsSweptMeanwhile() {
        var state = serving(quiet)
        state.note(.treeChanged("a-b-1"), now: 100)
        state.note(.repairsFinished(failed: ["a-c-2"]), now: 100, delay: fixed)
        state.note(.treeLost, now: 1_000)
        #expect(state.tree.isMissing)
        #expect(state.debounce.dirty.isEmpty && state.retries.failed.isEmpty)
        #expect(state.nextDeadline == 101_000)
        #expect(state.handle(.timer, now: 101_000) == [.reopenTree])
        // Not again until this attempt reports back.
        #expect(state.tree.retryAt == UInt64.max)
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
        #expect(!state.tree.isMissing)
        #expect(state.tree.backoff.attempts == 0)
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
