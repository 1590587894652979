@testable import RegistryCore
@testable import RegistryDaemon
import Testing

/// Requests queued behind the query in flight (`DatabaseRequest.queue(_:adding:)`).
@Suite struct DaemonQueueTests {
    @Test func aQueuedCheckSweepKeepsARetryOfFailedRepairs() {
        let retry = DatabaseRequest.recheck(["a-b-1"], policy: .repairSweep)
        #expect(DatabaseRequest.queue([retry], adding: .sweep(.check)) == [retry, .sweep(.check)])
        #expect(DatabaseRequest.queue([.sweep(.check)], adding: retry) == [.sweep(.check), retry])
    }

    @Test func aQueuedSweepCoversReChecksAndARepairingOneCoversRetries() {
        let recheck = DatabaseRequest.recheck(["a-b-1"], policy: .check)
        let retry = DatabaseRequest.recheck(["a-c-2"], policy: .repairSweep)
        #expect(DatabaseRequest.queue([recheck], adding: .sweep(.check)) == [.sweep(.check)])
        #expect(DatabaseRequest.queue([recheck, retry], adding: .sweep(.repairSweep)) == [.sweep(.repairSweep)])
        #expect(DatabaseRequest.queue([.sweep(.repairSweep)], adding: retry) == [.sweep(.repairSweep)])
        #expect(DatabaseRequest.queue([.sweep(.check)], adding: recheck) == [.sweep(.check)])
        #expect(DatabaseRequest.queue([.sweep(.repairSweep)], adding: .sweep(.check)) == [.sweep(.repairSweep)])
    }

    @Test func reChecksMergeByPolicy() {
        let queued = DatabaseRequest.queue([.recheck(["a-b-1"], policy: .check)], adding: .recheck(["a-c-2"], policy: .check))
        #expect(queued == [.recheck(["a-b-1", "a-c-2"], policy: .check)])
    }

    @Test func theNextPageOfTheSweepInProgressGoesBeforeASweepAskedMeanwhile() {
        let batch = DatabaseRequest.batch(NotificationBatch(payloads: [#"{"table":"persona","op":"insert","id":7}"#]), roleNames: [:])
        let page = DatabaseRequest.sweepPage(.check, after: 1_000)
        // Behind the batch of what was notified meanwhile, before the sweep asked for meanwhile.
        #expect(DatabaseRequest.queue([batch, .sweep(.repairSweep)], adding: page) == [batch, page, .sweep(.repairSweep)])
        #expect(DatabaseRequest.queue([batch], adding: page) == [batch, page])
        // A sweep asked for while a page waits begins after the sweep in progress, which it does not replace.
        #expect(DatabaseRequest.queue([page], adding: .sweep(.repairSweep)) == [page, .sweep(.repairSweep)])
        // Nor does a page cover a re-check: the pages before it were read already.
        let recheck = DatabaseRequest.recheck(["a-b-1"], policy: .check)
        #expect(DatabaseRequest.queue([page], adding: recheck) == [page, recheck])
        #expect(page.isSweep && DatabaseRequest.sweep(.check).isSweep && !recheck.isSweep)
    }
}
