import RegistryCore

/// What bringing entries in step found, did and left: one sweep's, one re-check's or
/// one notification batch's (`TreeSync`).
public struct SyncResult: Sendable {
    /// The findings before any repair.
    public var found: [Finding] = []
    /// The plan the policy allowed (for a re-check, the actions of every entry's plan).
    public var plan = RepairPlan()
    /// Each repair tried (empty for a dry run).
    public var repairs: [RepairResult] = []
    /// The findings after the repairs (the repaired entries read again, unless made whole).
    public var remaining: [Finding] = []
    /// Entries that could not be handled, with why (the daemon logs them by kind and
    /// retries them with backoff).
    public var failures: [SyncFailure] = []
    /// Personas whose directory was created (with identity and seed files).
    public var created: [Persona] = []
    /// Personas whose identity file was written in an existing directory.
    public var rewritten: [Persona] = []
    /// Seed files created in an existing directory (they were missing), by persona.
    public var seeded: [(persona: Persona, files: [String])] = []
    /// Files created or removed inside existing persona directories, by slug (seed files,
    /// leftover temp files): the daemon's own changes, not a person's. (Its atomic identity
    /// writes are recognised by their temp file names.)
    public var touchedFiles: [String: Set<String>] = [:]
    /// Whether anything was written (a flush is owed, unless the step flushed).
    public var wrote = false

    public init() {}

    /// Records what `repairs` did.
    mutating func record(_ repairs: [RepairResult]) {
        for repair in repairs {
            if repair.changedTree { wrote = true }
            if let failure = SyncFailure(repair) {
                failures.append(failure)
            } else if let persona = repair.action.persona, let outcome = repair.outcome {
                record(persona, outcome)
            } else if repair.removed, case .removeTempFile(let slug, let name) = repair.action {
                touchedFiles[slug, default: []].insert(name)
            }
        }
        self.repairs += repairs
    }

    private mutating func record(_ persona: Persona, _ outcome: MaterializeOutcome) {
        // Seed files of a directory made in this step are told apart by the step itself
        // (the daemon's `OwnChanges.created`): only those added to an existing directory are kept here.
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
