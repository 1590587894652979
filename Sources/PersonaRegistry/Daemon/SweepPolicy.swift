/// What a sweep may repair (the lead's identity-file policy).
public enum SweepPolicy: Sendable, Equatable {
    /// After a possible loss of notifications (start-up, reconnect, reload):
    /// create what is missing and rewrite identity files that are empty or
    /// stale (valid but different from the row).
    case repair
    /// Periodic sweeps and inotify re-checks: create what is missing, only
    /// report mismatched identity files (a person may be editing one).
    case createOnly
}
