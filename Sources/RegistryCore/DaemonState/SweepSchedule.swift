/// The periodic sweep, due an interval after the last sweep ended (whatever its kind: any
/// sweep compared the whole tree with the tables), and whether one has ended at all.
public struct SweepSchedule: Sendable, Equatable {
    /// When the next periodic sweep is due (`nil`: none has ended yet, or it has begun).
    public internal(set) var at: UInt64?
    /// A sweep has ended (the tree has been compared with the tables once).
    public internal(set) var hasSwept = false

    public init() {}

    mutating func ended(now: UInt64, interval: UInt64) {
        hasSwept = true
        at = now + interval
    }

    /// A sweep of any kind has begun: the periodic one is not due until it ends (else its
    /// deadline, passing while a reload's sweep waits on a lock, would queue a second sweep
    /// of the whole tree behind it).
    mutating func started() {
        at = nil
    }

    /// Whether the periodic sweep is due; then it is taken (not due again until the next ends).
    mutating func takeDue(now: UInt64) -> Bool {
        guard let at, at <= now else { return false }
        self.at = nil
        return true
    }
}
