/// The timing of notification handling, apart from the loop that performs it:
/// notifications are drained in time slices (timers and signals are served
/// during a steady stream), and what they wrote is flushed once per burst (a
/// burst of inserts arrives in several batches), in a steady stream at least
/// every `flushInterval`.
public struct NotificationDrain: Sendable, Equatable {
    /// The longest one drain runs before it returns to poll.
    public static let slice: UInt64 = 1_000_000
    /// The longest writes of a steady stream of notifications wait for their flush.
    public static let flushInterval: UInt64 = 5_000_000

    /// Since when notifications have written to the tree without a flush (`nil`: nothing to flush).
    public private(set) var unflushedSince: UInt64?
    /// The last drain stopped at its time limit: more notifications may be queued in
    /// libpq, where poll cannot see them, so the next wait must not block.
    public private(set) var mayBeWaiting = false

    public init() {}

    /// A drain begins (it reads until the queue is empty or its slice is used).
    public mutating func started() {
        mayBeWaiting = false
    }

    /// Whether the drain begun at `start` has used its slice; then more may be waiting.
    public mutating func sliceUsed(since start: UInt64, now: UInt64) -> Bool {
        guard now - start >= Self.slice else { return false }
        mayBeWaiting = true
        return true
    }

    /// Notifications wrote to the tree.
    public mutating func wrote(now: UInt64) {
        if unflushedSince == nil { unflushedSince = now }
    }

    /// At the end of a drain: whether to flush now. Yes when the burst is over (nothing
    /// more may be waiting, no batch's rows are awaited: their writes are still to come),
    /// or when the writes have waited `flushInterval`; never with nothing written.
    public func flushDue(now: UInt64, awaitingRows: Bool) -> Bool {
        guard let since = unflushedSince else { return false }
        return !(mayBeWaiting || awaitingRows) || now - since >= Self.flushInterval
    }

    /// Takes the pending flush: whether there was anything to flush.
    public mutating func takeFlush() -> Bool {
        defer { unflushedSince = nil }
        return unflushedSince != nil
    }
}
