/// What the daemon asks of the tree and the drift engine (Tree/, Drift/):
/// compare rows with directories and carry out the repairs a policy allows.
/// Every call returns the findings that remain about the entries it looked at.
public protocol TreeSync: AnyObject {
    /// The tree's path, for messages and inotify watches.
    var path: String { get }
    /// The open root descriptor.
    var rootDescriptor: Int32 { get }

    /// A full sweep: every row against every root entry (streamed).
    func sweep(_ personas: [Persona], policy: SweepPolicy) throws -> SyncOutcome

    /// Rows changed by notifications: create the directories of active
    /// personas (identity + seed files), rewrite identity files whose content
    /// would change.
    func apply(_ personas: [Persona]) throws -> SyncOutcome

    /// Re-checks these root entries against their rows (`personas` holds the
    /// rows whose slug is among `names`), creating what is missing only.
    func recheck(_ names: Set<String>, personas: [Persona]) throws -> SyncOutcome

    /// Flushes the batch's writes to disk (one `syncfs`).
    func flush() throws

    /// Reads the seed templates again (on reload).
    func useTemplates(_ path: String) throws
}

/// What a sweep, apply or re-check did and found.
public struct SyncOutcome: Sendable {
    /// Personas whose directory was created (with identity and seed files).
    public var created: [Persona] = []
    /// Personas whose identity file was written (missing, empty, stale or changed row).
    public var rewritten: [Persona] = []
    /// Root entries that are persona directories (to watch).
    public var directories: [String] = []
    /// The findings that remain.
    public var findings: [DaemonFinding] = []
    /// Entries that could not be handled, with why (logged; the next sweep retries).
    public var failures: [(subject: String, reason: String)] = []

    public init() {}
}
