import Testing
import RegistryCore

/// The timing rules of notification handling, without a database: time slices and flushes.
@Suite("notification drain: time slices and flushes")
struct NotificationDrainTests {
    @Test("a drain returns to poll once its slice is used, and the next wait must not block")
    func slices() {
        var drain = NotificationDrain()
        drain.started()
        let beforeTheEnd = drain.sliceUsed(since: 10, now: 10 + NotificationDrain.slice - 1)
        #expect(!beforeTheEnd)
        #expect(!drain.mayBeWaiting)
        let atTheEnd = drain.sliceUsed(since: 10, now: 10 + NotificationDrain.slice)
        #expect(atTheEnd)
        #expect(drain.mayBeWaiting)
        // The next drain starts afresh.
        drain.started()
        #expect(!drain.mayBeWaiting)
    }

    @Test("nothing written: never a flush")
    func nothingToFlush() {
        var drain = NotificationDrain()
        drain.started()
        #expect(!drain.flushDue(now: 100 * NotificationDrain.flushInterval, awaitingRows: false))
        let flushed = drain.takeFlush()
        #expect(!flushed)
    }

    @Test("a burst is flushed once, when it is over: not while more may wait or its rows are awaited")
    func oncePerBurst() {
        var drain = NotificationDrain()
        drain.started()
        drain.wrote(now: 1_000)
        let sliceUsed = drain.sliceUsed(since: 0, now: NotificationDrain.slice)
        #expect(sliceUsed)
        #expect(!drain.flushDue(now: NotificationDrain.slice, awaitingRows: false), "more may be waiting")
        drain.started()
        drain.wrote(now: 2_000_000)
        #expect(!drain.flushDue(now: 2_000_000, awaitingRows: true), "the batch's rows are still to come")
        #expect(drain.flushDue(now: 2_000_000, awaitingRows: false), "the burst is over")
        let firstFlush = drain.takeFlush()
        #expect(firstFlush)
        let secondFlush = drain.takeFlush()
        #expect(!secondFlush, "one flush for the burst")
        #expect(drain.unflushedSince == nil)
    }

    @Test("in a steady stream the writes wait at most flushInterval from the first unflushed one")
    func steadyStream() {
        var drain = NotificationDrain()
        drain.wrote(now: 1_000)
        drain.wrote(now: 3_000_000)  // the first unflushed write sets the clock
        let sliceUsed = drain.sliceUsed(since: 0, now: NotificationDrain.flushInterval)
        #expect(sliceUsed)
        #expect(!drain.flushDue(now: 1_000 + NotificationDrain.flushInterval - 1, awaitingRows: true))
        #expect(drain.flushDue(now: 1_000 + NotificationDrain.flushInterval, awaitingRows: true))
    }
}
