/// What a full sweep covers of the work owed or queued: the one rule that `DaemonState`
/// (what it owes) and the daemon's queue of requests (what waits behind the query in
/// flight) both follow.
extension RepairPolicy {
    /// Whether a sweep under this policy covers a re-check under `recheck`: every sweep reads
    /// every entry, so it covers a re-check that only creates; only a repairing one covers a
    /// retry of failed repairs (a check only reports the stale files a failed repair left).
    public func sweepCovers(_ recheck: RepairPolicy) -> Bool {
        self != .check || recheck == .check
    }

    /// Two sweeps owed together are one: repairing if either is.
    public func sweepMerged(with other: RepairPolicy) -> RepairPolicy {
        self == .check ? other : self
    }
}
