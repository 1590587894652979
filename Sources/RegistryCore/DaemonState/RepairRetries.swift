/// Entries whose repair failed (a full disk, a permission), retried together with backoff:
/// seconds, doubling, capped, since such a cause is usually fixed by a person.
public struct RepairRetries: Sendable, Equatable {
    public internal(set) var failed: Set<String> = []
    public internal(set) var retryAt: UInt64?
    public internal(set) var backoff = Backoff(initialMicroseconds: 1_000_000, capMicroseconds: 30_000_000)

    public init() {}

    /// A step ended with these entries failed; none failing at all resets the backoff.
    mutating func finished(failed entries: Set<String>, now: UInt64, delay: (inout Backoff) -> UInt64) {
        if !entries.isEmpty {
            failed.formUnion(entries)
            if retryAt == nil { retryAt = now + delay(&backoff) }
        } else if failed.isEmpty, retryAt == nil {
            backoff.reset()
        }
    }

    /// Covered by what follows (a repairing sweep): nothing owed.
    mutating func clear() {
        failed = []
        retryAt = nil
    }

    /// The entries to retry now, if due.
    mutating func due(now: UInt64) -> Set<String>? {
        guard let at = retryAt, at <= now else { return nil }
        defer { clear() }
        return failed
    }

    /// The next delay of their backoff (a failed sweep is retried with it too).
    mutating func nextDelay(_ delay: (inout Backoff) -> UInt64) -> UInt64 {
        delay(&backoff)
    }
}
