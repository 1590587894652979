/// The periodic sweep, due an interval after the last sweep ended (whatever its kind: any
/// sweep compared the whole tree with the tables), whether one has ended at all, and the
/// sweep in progress (read in pages: `PagedSweep`).
public struct SweepSchedule: Sendable, Equatable {
    /// When the next periodic sweep is due (`nil`: none has ended yet, or it has begun).
    public internal(set) var at: UInt64?
    /// A sweep has ended (the tree has been compared with the tables once).
    public internal(set) var hasSwept = false
    /// The sweep whose pages are being read, from its first page's query to its end (done,
    /// failed, or gone with the connection).
    public internal(set) var current: PagedSweep?

    public init() {}

    /// A sweep's first page went out. A sweep asked for while one is in progress waits
    /// behind it (`DatabaseRequest.queue`): the one in progress is finished, not restarted.
    mutating func began(_ policy: RepairPolicy, pageRows: Int = PagedSweep.defaultPageRows) {
        current = PagedSweep(policy: policy, pageRows: pageRows)
    }

    /// A page of the sweep in progress was brought in step: what follows (`nil`: no sweep in
    /// progress, the page is left alone).
    mutating func read(_ page: PagedSweep.Page) -> PagedSweep.Next? {
        current?.read(page)
    }

    /// The sweep in progress went with the connection: the reconnect's repairing sweep follows.
    mutating func abandoned() {
        current = nil
    }

    mutating func ended(now: UInt64, interval: UInt64) {
        hasSwept = true
        current = nil
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
