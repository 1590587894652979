/// When a long step says how far it got: at most once per `interval` (monotonic
/// microseconds), never for a step shorter than that.
public struct ProgressPacer: Sendable, Equatable {
    public let interval: UInt64
    private var next: UInt64

    /// The line a sweep of 100,000 (about 25 s) logs every five seconds.
    public static let sweepInterval: UInt64 = 5_000_000

    public init(start: UInt64, interval: UInt64 = ProgressPacer.sweepInterval) {
        self.interval = interval
        next = start + interval
    }

    /// Whether a progress line is due at `now`; if so, the next is due `interval` later.
    public mutating func due(now: UInt64) -> Bool {
        guard now >= next else { return false }
        next = now + interval
        return true
    }
}
