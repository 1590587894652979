/// The query in flight, reported once if it waits long (a lock held elsewhere).
public struct SlowQuery: Sendable, Equatable {
    /// When the query in flight was sent (`nil`: none in flight).
    public internal(set) var sentAt: UInt64?
    /// It has been reported as waiting long (once per query).
    public internal(set) var reported = false

    public init() {}

    mutating func sent(now: UInt64) {
        sentAt = now
        reported = false
    }

    /// No answer is to come (the connection lost, the set-up abandoned: its failure says why).
    mutating func forget() {
        sentAt = nil
        reported = false
    }

    /// When it is to be reported, waiting `limit` (`nil`: nothing to report).
    func deadline(limit: UInt64) -> UInt64? {
        guard let sentAt, !reported else { return nil }
        return sentAt + limit
    }

    /// How long it has waited, if that is `limit` or more and it was not reported yet.
    mutating func expired(now: UInt64, limit: UInt64) -> UInt64? {
        guard let due = deadline(limit: limit), due <= now, let sentAt else { return nil }
        reported = true
        return now - sentAt
    }

    /// Answered: how long it waited if it was reported as waiting long (its answer is then
    /// worth a line too), else `nil`.
    mutating func answered(now: UInt64) -> UInt64? {
        defer { forget() }
        guard let sentAt, reported else { return nil }
        return now - sentAt
    }
}
