/// Junk notifications (not ours, not understood): one sweep owed, no sooner than the junk
/// interval after the last sweep began (any sweep covers them), and a warning at most once
/// per interval, counting what came since the last one.
public struct JunkLimiter: Sendable, Equatable {
    /// When the sweep owed to junk runs.
    public internal(set) var sweepAt: UInt64?
    /// When the last full sweep began.
    public internal(set) var lastSweepAt: UInt64?
    /// When junk was last warned about, and how much has come since.
    public internal(set) var warnedAt: UInt64?
    public internal(set) var unwarned = 0

    public init() {}

    /// `count` junk payloads arrived; `owesSweep`: a sweep may be owed (the tree is there).
    /// Returns how many to warn about now, if a warning is due.
    mutating func received(_ count: Int, owesSweep: Bool, now: UInt64, debounce: UInt64, interval: UInt64) -> Int? {
        if sweepAt == nil, owesSweep {
            let earliest = lastSweepAt.map { $0 + interval } ?? 0
            sweepAt = max(now + debounce, earliest)
        }
        unwarned += count
        if let at = warnedAt, now < at + interval { return nil }
        warnedAt = now
        defer { unwarned = 0 }
        return unwarned
    }

    /// A full sweep begins: it covers the junk so far.
    mutating func sweepStarted(now: UInt64) {
        lastSweepAt = now
        sweepAt = nil
    }

    /// The tree is gone: its return's repairing sweep covers the junk.
    mutating func forgetSweep() {
        sweepAt = nil
    }

    func sweepDue(now: UInt64) -> Bool { sweepAt.map { $0 <= now } ?? false }
}
