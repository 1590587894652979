/// What a serving daemon says about itself in its tree's status file
/// (`.persona-registry.status`), for `status`, `reload` and `reconcile` to read:
/// who serves the tree and since when, what it is doing, its last sweep, its open
/// findings and its last error. Times an operator reads are UTC; the times a waiter
/// compares with its own are `CLOCK_MONOTONIC` microseconds, one clock for every
/// process of the host (a wall clock may be stepped between the two reads).
public struct ServiceStatus: Sendable, Equatable {
    /// What the daemon is doing.
    public enum Phase: String, Sendable, CaseIterable {
        case starting
        case connected
        case waitingForPostgreSQL = "waiting_for_postgresql"
        case sweeping
        case treeMissing = "tree_missing"
        case stopping
    }

    /// The file's format; a reader refuses another.
    public static let format = 1

    public var pid: Int32
    /// When the daemon started (UTC).
    public var startedAt: String
    public var tree: String
    public var phase: Phase = .starting
    /// The personas known from the last sweep and the notifications since.
    public var personas = 0
    public var activePersonas = 0
    /// The open findings by kind (kinds with none are absent).
    public var findings: [Finding.Kind: Int] = [:]
    /// Entries that could not be brought in step (retried with backoff).
    public var failingEntries = 0
    /// Full sweeps finished since the daemon started.
    public var sweeps = 0
    public var lastSweep: SweepSummary?
    /// When the last repairing sweep that finished began (monotonic): a waiter that signalled
    /// at `t` knows that the tree was repaired from rows read after `t` when this is at least `t`.
    public var repairSweepStartedMicroseconds: UInt64?
    /// When the daemon last re-read its configuration after a SIGHUP (monotonic).
    public var reloadedMicroseconds: UInt64?
    /// The last connection or sweep error, and when it happened (UTC); kept after recovery (it is
    /// the last one; `phase` says whether the daemon is connected now).
    public var lastError: String?
    public var lastErrorAt: String?

    public init(pid: Int32, startedAt: String, tree: String) {
        (self.pid, self.startedAt, self.tree) = (pid, startedAt, tree)
    }

    /// A full sweep's record.
    public struct SweepSummary: Sendable, Equatable {
        /// When it finished (UTC).
        public var finishedAt: String
        public var milliseconds: Int
        public var personas: Int
        /// `repair` (after a start, a reconnect, a reload) or `check` (periodic, after junk).
        public var policy: String
        public var failed: Bool

        public init(finishedAt: String, milliseconds: Int, personas: Int, policy: String, failed: Bool) {
            (self.finishedAt, self.milliseconds, self.personas, self.policy) = (finishedAt, milliseconds, personas, policy)
            self.failed = failed
        }
    }

    /// Whether the repairs of a request made at `requested` (monotonic) are done: a repairing
    /// sweep that began after it has finished.
    public func repairedSince(_ requested: UInt64) -> Bool {
        repairSweepStartedMicroseconds.map { $0 >= requested } ?? false
    }

    /// Whether a reload asked for at `requested` is done: the configuration was read again
    /// and its repairing sweep finished, or that sweep must wait (no database, no tree) and
    /// follows by itself, as systemd is told (`READY=1` at once).
    public func reloadedSince(_ requested: UInt64) -> Bool {
        guard let reloaded = reloadedMicroseconds, reloaded >= requested else { return false }
        return repairedSince(reloaded) || phase == .waitingForPostgreSQL || phase == .treeMissing
    }
}
