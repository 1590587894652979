import RegistryCore

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
    /// A repairing sweep's repairs, for the record `reconcile` reads beside the daemon
    /// (other steps leave it empty).
    public var repairs: [RepairResult] = []
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
