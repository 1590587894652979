import RegistryCore
import RegistryTree

/// What the daemon asks of the tree and the drift engine (Tree/, Drift/):
/// compare rows with the tree and carry out the repairs a policy allows.
/// Every call returns the findings that remain about the entries it looked at.
public protocol TreeSync: AnyObject {
    /// The tree's path, for messages.
    var path: String { get }
    /// The open root descriptor (lock file, inotify watches).
    var rootDescriptor: Int32 { get }

    /// A full sweep: every row against one streaming pass over the tree,
    /// repairs as `policy` allows, one flush when something was written.
    /// `progress` is called after each entry (the daemon's watchdog).
    func sweep(_ personas: [Persona], policy: RepairPolicy, progress: () -> Void) throws -> SyncOutcome

    /// Rows changed by notifications: create the directories of active
    /// personas (identity + seed files), rewrite identity files that are
    /// missing, empty or stale (never an invalid one: that is reported and
    /// left to `reconcile`). No flush: the caller flushes once the
    /// notifications waiting are applied (`SyncOutcome.wrote` says whether
    /// anything was written). `progress` is called after each persona.
    func apply(_ personas: [Persona], progress: () -> Void) throws -> SyncOutcome

    /// Flushes everything written to the tree's file system (`syncfs`).
    func flush() throws

    /// Re-checks these root entries against their rows (`personas` holds the
    /// rows whose slug is among `names`), repairing as `policy` allows: `.check`
    /// creates only what is missing; a retry of failed repairs uses `.repairSweep`.
    func recheck(_ names: Set<String>, personas: [Persona], policy: RepairPolicy) throws -> SyncOutcome

    /// Called as each persona directory is made, before it appears under its
    /// slug (see `DirectoryCreated`; the daemon adds its watch then).
    var directoryCreated: DirectoryCreated { get set }

    /// Called by a sweep with each existing directory named like a slug, before
    /// it is read (the daemon watches it then, row or not).
    var directoryListed: (String) -> Void { get set }

    /// Reads the seed templates again (on reload): an override directory, or nil for the built-in set.
    func useTemplates(_ path: String?) throws
}

/// What a sweep, apply or re-check did and found.
public struct SyncOutcome: Sendable {
    /// Personas whose directory was created (with identity and seed files).
    public var created: [Persona] = []
    /// Personas whose identity file was written in an existing directory.
    public var rewritten: [Persona] = []
    /// Seed files created in an existing directory (they were missing), by persona.
    public var seeded: [(persona: Persona, files: [String])] = []
    /// The findings that remain.
    public var findings: [Finding] = []
    /// Entries that could not be handled, with why (logged by kind, retried with backoff).
    public var failures: [SyncFailure] = []
    /// Files created or removed inside persona directories, by slug (seed
    /// files, leftover temp files): the daemon's own changes, not a person's.
    /// (Its atomic identity writes are recognised by their temp file names.)
    public var touchedFiles: [String: Set<String>] = [:]
    /// Whether anything was written (`apply` leaves the flush to its caller).
    public var wrote = false

    public init() {}

    /// Records what materializing one persona did.
    mutating func record(_ persona: Persona, _ outcome: MaterializeOutcome) {
        // Seed files of a directory made in this step are told apart by the step itself
        // (`OwnChanges.created`): only those added to an existing directory are kept here.
        if !outcome.seeded.isEmpty, !outcome.createdDirectory {
            touchedFiles[persona.slug, default: []].formUnion(outcome.seeded)
            seeded.append((persona, outcome.seeded))
        }
        if outcome.createdDirectory {
            created.append(persona)
        } else if case .created = outcome.identity {
            rewritten.append(persona)
        } else if case .rewritten = outcome.identity {
            rewritten.append(persona)
        }
    }
}
