/// When `READY=1` is sent: once at start-up (after the first sweep, or at once when the
/// first connection attempt fails: the database is awaited with `STATUS=` saying so, rather
/// than holding the service in "activating" for as long as it is down), and after each
/// reload (`RELOADING=1`), once the repairing sweep it asked for has ended.
public struct Readiness: Sendable, Equatable {
    /// What a reload still waits for before `READY=1`.
    public enum Owed: Sendable, Equatable {
        case nothing
        /// A repairing sweep to be sent: one in flight at the reload read its rows before it
        /// (systemd's `Type=notify-reload` takes `READY=1` as "the new configuration is served").
        case sweepToBegin
        /// The repairing sweep sent after the reload, to end.
        case sweepToEnd
    }

    /// `READY=1` has been sent.
    public private(set) var isReady = false
    public private(set) var owed: Owed = .nothing

    public init() {}

    public var readyOwed: Bool { owed != .nothing }

    /// A reload sent `RELOADING=1`.
    mutating func reloaded() {
        owed = .sweepToBegin
    }

    /// A sweep's query went out under `policy`.
    mutating func sweepSent(_ policy: RepairPolicy) {
        if owed == .sweepToBegin, policy == .repairSweep { owed = .sweepToEnd }
    }

    /// A sweep ended (done or failed): whether `READY=1` is due, the first one or a reload's.
    mutating func sweepEnded() -> Bool {
        guard !isReady || owed == .sweepToEnd else { return false }
        return nothingToWaitFor()
    }

    /// No sweep is to follow (disconnected, the tree missing): whether `READY=1` is due,
    /// because it was never sent or a reload owes it.
    mutating func nothingToWaitFor() -> Bool {
        guard !isReady || owed != .nothing else { return false }
        isReady = true
        owed = .nothing
        return true
    }
}
