import RegistryCore
import RegistryTree

/// What the daemon asks of the tree and the drift engine: compare rows with the
/// tree and carry out the repairs a policy allows; every call returns the
/// findings that remain about the entries it looked at. Full sweeps are
/// `PersonaTree.sweep`; re-checks and notification batches are one re-check of
/// the entries concerned (`inspect`, `DriftEngine`, `RepairPlan`,
/// `PersonaTree.apply`) under different policies. Tested on real temporary
/// trees (`TreeSynchronizerTests`), not behind a protocol: there is one tree.
public final class TreeSynchronizer {
    let tree: PersonaTree
    private var templates: SeedTemplates
    /// Called as each persona directory is made, before it appears under its
    /// slug (see `DirectoryCreated`): the daemon watches it at once, so a
    /// person's change made right after is seen.
    public var directoryCreated: DirectoryCreated = { _, _ in }
    /// Called by sweeps with each existing persona-like directory before it is read.
    public var directoryListed: (String) -> Void = { _ in }

    /// The override directory, nil for the built-in templates of `layout`.
    private var templatesPath: String?
    /// The layout of the database served (the built-in templates follow it); `prd` until connected.
    private var layout = Layout.prd

    public init(configuration: DaemonConfiguration) throws {
        // Templates first: a bad templates directory leaves no tree behind.
        templatesPath = configuration.templatesPath
        templates = try SeedTemplates.load(configuration.templatesPath, layout: layout)
        tree = try PersonaTree(path: configuration.treePath, create: true)
    }

    /// The database's layout, found on each connect: without an override directory, the
    /// seed files are the layout's own (the host's text on `headspace`).
    public func serve(_ layout: Layout) {
        guard layout != self.layout else { return }
        self.layout = layout
        if templatesPath == nil { templates = SeedTemplates.builtIn(for: layout) }
    }

    /// The tree's path, for messages.
    public var path: String { tree.path }
    /// The open root descriptor (lock file, inotify watches).
    public var rootDescriptor: Int32 { tree.rootDescriptor }

    /// Re-reads an override directory (SIGHUP); nil is the built-in set, nothing to read.
    public func useTemplates(_ path: String?) throws {
        templates = try SeedTemplates.load(path, layout: layout)
        templatesPath = path
    }

    /// A full sweep: every row against one streaming pass over the tree, repairs as
    /// `policy` allows, one flush when something was written. `progress` is called after
    /// each entry (the daemon's watchdog).
    public func sweep(_ personas: [Persona], policy: RepairPolicy, progress: () -> Void) throws -> SyncOutcome {
        let result = try tree.sweep(personas: personas, templates: templates, policy: policy, progress: progress,
                                    directoryCreated: directoryCreated, directoryListed: directoryListed)
        var outcome = SyncOutcome()
        record(result.repairs, into: &outcome)
        outcome.findings = result.remaining
        if policy == .repairSweep { outcome.repairs = result.repairs }
        return outcome
    }

    /// Rows named by notifications: their entries re-checked under the policy of a
    /// repairing sweep (`.repairSweep`), since the row changed: a missing directory is
    /// made whole, a missing, empty or stale identity file rewritten, missing seed files
    /// created; an invalid identity file is only reported (`reconcile` replaces it).
    /// No flush: `SyncOutcome.wrote` tells the daemon to flush once per burst.
    public func apply(_ personas: [Persona], progress: () -> Void) throws -> SyncOutcome {
        try bringInStep(personas.map(\.slug), personas: personas, policy: .repairSweep, progress: progress)
    }

    /// Flushes everything written to the tree's file system (`syncfs`).
    public func flush() throws {
        try tree.flush()
    }

    /// Entries whose events settled (`.check`), or whose repair failed (`.repairSweep`):
    /// the same re-check as `apply`, under `policy`, flushed at its end.
    public func recheck(_ names: Set<String>, personas: [Persona], policy: RepairPolicy) throws -> SyncOutcome {
        let outcome = try bringInStep(names.sorted(), personas: personas, policy: policy, progress: {})
        if outcome.wrote { try tree.flush() }
        return outcome
    }

    /// Brings each root entry named in step with its row (from `personas`, by slug), one
    /// entry at a time: the entry is inspected, compared with its row (`DriftEngine`), the
    /// repairs `policy` allows are planned (`RepairPlan`), and the plan is executed as it
    /// is (`PersonaTree.apply`, no flush). The findings left are read again only where
    /// something was planned, and not in a directory the plan made whole: it holds just
    /// what was written (an insert burst of 10,000 rows reads nothing back). `progress`
    /// is called after each entry.
    private func bringInStep(_ names: [String], personas: [Persona], policy: RepairPolicy,
                             progress: () -> Void) throws -> SyncOutcome {
        var bySlug: [String: Persona] = [:]
        bySlug.reserveCapacity(personas.count)
        for persona in personas { bySlug[persona.slug] = persona }
        var outcome = SyncOutcome()
        for name in names where !TreeSnapshot.isOwnEntry(name) {
            defer { progress() }
            let persona = bySlug[name]
            guard persona != nil || Slug.isTreeName(name) else {
                if let type = try? tree.entryType(name) {
                    outcome.findings.append(DriftEngine.finding(stray: StrayEntry(name: name, type: type)))
                }
                continue
            }
            let entry: SlugEntry?
            do {
                entry = try tree.inspect(name)
            } catch {
                outcome.failures.append(SyncFailure(slug: name, error: error))
                outcome.findings += DriftEngine.findings(slug: name, persona: persona, entry: .notDirectory(.unknown))
                continue
            }
            let found = DriftEngine.findings(slug: name, persona: persona, entry: entry)
            let plan = RepairPlan.make(findings: found, personas: persona.map { [$0] } ?? [],
                                       snapshot: TreeSnapshot(entries: entry.map { [name: $0] } ?? [:]), policy: policy)
            guard !plan.actions.isEmpty else {
                outcome.findings += found
                continue
            }
            // Each action's failure is in its result; only a flush would throw, and there is none.
            let repairs = try tree.apply(plan, templates: templates, flush: false, directoryCreated: directoryCreated)
            record(repairs, into: &outcome)
            if !repairs.contains(where: { $0.outcome?.madeWhole == true }) {
                outcome.findings += tree.findings(about: name, persona: persona)
            }
        }
        return outcome
    }

    private func record(_ repairs: [RepairResult], into outcome: inout SyncOutcome) {
        for repair in repairs {
            if repair.changedTree { outcome.wrote = true }
            if let failure = SyncFailure(repair) {
                outcome.failures.append(failure)
            } else if let persona = repair.action.persona, let result = repair.outcome {
                outcome.record(persona, result)
            } else if repair.removed, case .removeTempFile(let slug, let name) = repair.action {
                outcome.touchedFiles[slug, default: []].insert(name)
            }
        }
    }
}
