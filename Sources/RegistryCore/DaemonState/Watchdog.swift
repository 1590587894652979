/// `WATCHDOG=1`, when systemd asked for a watchdog: every half of `WATCHDOG_USEC`, from
/// the loop's timer or between the entries of a long step.
public struct Watchdog: Sendable, Equatable {
    /// When the next one is due (`nil`: no watchdog).
    public internal(set) var at: UInt64?

    public init() {}

    mutating func started(now: UInt64, interval: UInt64?) {
        at = interval.map { now + $0 }
    }

    /// Whether `WATCHDOG=1` is due now; the next one is then scheduled from `now`.
    mutating func due(now: UInt64, interval: UInt64?) -> Bool {
        guard let at, at <= now, let interval else { return false }
        self.at = now + interval
        return true
    }
}
