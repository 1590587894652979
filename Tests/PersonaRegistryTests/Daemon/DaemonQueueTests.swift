@testable import RegistryCore
@testable import RegistryDaemon
import Testing

/// Requests queued behind the query in flight (`Daemon.queue(_:adding:)`).
@Suite struct DaemonQueueTests {
    @Test func aQueuedCheckSweepKeepsARetryOfFailedRepairs() {
        let retry = DatabaseLink.Request.recheck(["a-b-1"], policy: .repairSweep)
        #expect(Daemon.queue([retry], adding: .sweep(.check)) == [retry, .sweep(.check)])
        #expect(Daemon.queue([.sweep(.check)], adding: retry) == [.sweep(.check), retry])
    }

    @Test func aQueuedSweepCoversReChecksAndARepairingOneCoversRetries() {
        let recheck = DatabaseLink.Request.recheck(["a-b-1"], policy: .check)
        let retry = DatabaseLink.Request.recheck(["a-c-2"], policy: .repairSweep)
        #expect(Daemon.queue([recheck], adding: .sweep(.check)) == [.sweep(.check)])
        #expect(Daemon.queue([recheck, retry], adding: .sweep(.repairSweep)) == [.sweep(.repairSweep)])
        #expect(Daemon.queue([.sweep(.repairSweep)], adding: retry) == [.sweep(.repairSweep)])
        #expect(Daemon.queue([.sweep(.check)], adding: recheck) == [.sweep(.check)])
        #expect(Daemon.queue([.sweep(.repairSweep)], adding: .sweep(.check)) == [.sweep(.repairSweep)])
    }

    @Test func reChecksMergeByPolicy() {
        let queued = Daemon.queue([.recheck(["a-b-1"], policy: .check)], adding: .recheck(["a-c-2"], policy: .check))
        #expect(queued == [.recheck(["a-b-1", "a-c-2"], policy: .check)])
    }
}
