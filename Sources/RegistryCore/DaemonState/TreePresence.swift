/// Whether the configured tree path names the open root; while it does not, nothing is
/// swept and the tree is made again at `retryAt`, with backoff.
public struct TreePresence: Sendable, Equatable {
    public internal(set) var isMissing = false
    public internal(set) var retryAt: UInt64?
    public internal(set) var backoff = Backoff(initialMicroseconds: 1_000_000, capMicroseconds: 30_000_000)

    public init() {}

    /// The root was moved or removed. The first attempt comes after `debounce`: an `rm -rf` of
    /// the tree's parent is left to finish rather than made to fail on a directory made again
    /// under it. Returns whether it was present until now.
    mutating func lost(now: UInt64, debounce: UInt64) -> Bool {
        guard !isMissing else { return false }
        isMissing = true
        retryAt = now + debounce
        return true
    }

    /// Open and locked again. Returns whether it was missing.
    mutating func reopened() -> Bool {
        guard isMissing else { return false }
        isMissing = false
        retryAt = nil
        backoff.reset()
        return true
    }

    mutating func reopenFailed(now: UInt64, delay: (inout Backoff) -> UInt64) {
        guard isMissing else { return }
        retryAt = now + delay(&backoff)
    }

    /// When the next attempt is due (`nil`: present).
    var deadline: UInt64? { isMissing ? retryAt : nil }

    /// Whether an attempt is due: then not again until this one reports back.
    mutating func retryDue(now: UInt64) -> Bool {
        guard isMissing, let at = retryAt, at <= now else { return false }
        retryAt = .max
        return true
    }
}
