/// Which repairs a sweep may make (docs/reference.md, "The daemon" and "Finding kinds").
public enum RepairPolicy: Sendable, Equatable {
    /// Periodic sweeps, inotify re-checks, overflow sweeps: create what is
    /// missing, only report mismatched identity files, never touch invalid ones.
    case check
    /// Sweeps after a possible loss of notifications (start-up, reconnect,
    /// SIGHUP): also rewrite empty identity files and valid but stale ones.
    case repairSweep
    /// `persona-registry reconcile`: also rewrite invalid regular identity
    /// files, keeping their old bytes as `identity.yaml.rejected-<UTC stamp>`.
    case reconcile

}
