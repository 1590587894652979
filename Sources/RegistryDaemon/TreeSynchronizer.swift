import RegistryCore
import RegistryTree

/// The daemon's `TreeSync` over the Tree and Drift layers: full sweeps are
/// `PersonaTree.sweep`; re-checks and notification batches run the same
/// pieces (`inspect`, `DriftEngine`, `RepairPlan`, `materialize`) on the
/// few entries concerned.
public final class TreeSynchronizer: TreeSync {
    let tree: PersonaTree
    private var templates: SeedTemplates
    /// Called as each persona directory is made, before it appears under its
    /// slug (see `DirectoryCreated`): the daemon watches it at once, so a
    /// person's change made right after is seen.
    public var directoryCreated: DirectoryCreated = { _, _ in }
    /// Called by sweeps with each existing persona-like directory before it is read.
    public var directoryListed: (String) -> Void = { _ in }

    public init(configuration: DaemonConfiguration) throws {
        // Templates first: a bad templates directory leaves no tree behind.
        templates = try TreeSynchronizer.loadTemplates(configuration.templatesPath)
        tree = try PersonaTree(path: configuration.treePath, create: true)
    }

    static func loadTemplates(_ path: String?) throws -> SeedTemplates {
        try SeedTemplates.load(path)
    }

    public var path: String { tree.path }
    public var rootDescriptor: Int32 { tree.rootDescriptor }

    /// Re-reads an override directory (SIGHUP); nil is the built-in set, nothing to read.
    public func useTemplates(_ path: String?) throws {
        templates = try TreeSynchronizer.loadTemplates(path)
    }

    public func sweep(_ personas: [Persona], policy: RepairPolicy, progress: () -> Void) throws -> SyncOutcome {
        let result = try tree.sweep(personas: personas, templates: templates, policy: policy, progress: progress,
                                    directoryCreated: directoryCreated, directoryListed: directoryListed)
        var outcome = SyncOutcome()
        record(result.repairs, into: &outcome)
        outcome.findings = result.remaining
        return outcome
    }

    public func apply(_ personas: [Persona], progress: () -> Void) throws -> SyncOutcome {
        var outcome = SyncOutcome()
        var wrote = false
        for persona in personas {
            var madeWhole = false
            do {
                // A notification says the row changed: a missing, empty or stale identity
                // file follows it. An invalid one (perhaps mid-edit by a person) is only
                // reported; `reconcile` replaces it, keeping its bytes beside it.
                let result = try tree.materialize(persona, templates: templates, identity: .decide(.repairSweep), directoryCreated: directoryCreated)
                wrote = wrote || result.changedSomething
                madeWhole = result.madeWhole
                outcome.record(persona, result)
            } catch {
                outcome.failures.append(SyncFailure(slug: persona.slug, error: error))
            }
            // A directory this call made holds just what it wrote, so there is nothing to
            // find in it; a person's change after that arrives by inotify and is re-checked.
            if !madeWhole { outcome.findings += tree.findings(about: persona.slug, persona: persona) }
            progress()
        }
        outcome.wrote = wrote
        return outcome
    }

    public func flush() throws {
        try tree.flush()
    }

    public func recheck(_ names: Set<String>, personas: [Persona], policy: RepairPolicy) throws -> SyncOutcome {
        var bySlug: [String: Persona] = [:]
        for persona in personas { bySlug[persona.slug] = persona }
        var outcome = SyncOutcome()
        var snapshot = TreeSnapshot()
        for name in names.sorted() where !TreeSnapshot.isOwnEntry(name) {
            if Slug.isValid(name) {
                do {
                    snapshot.entries[name] = try tree.inspect(name)
                } catch {
                    outcome.failures.append(SyncFailure(slug: name, error: error))
                }
            } else if let type = try? tree.entryType(name) {
                snapshot.strays.append(StrayEntry(name: name, type: type))
            }
        }
        let checked = personas.filter { names.contains($0.slug) }
        let found = DriftEngine.findings(personas: checked, snapshot: snapshot)
        let plan = RepairPlan.make(findings: found, personas: checked, snapshot: snapshot, policy: policy)
        guard !plan.actions.isEmpty else {
            outcome.findings = found
            return outcome
        }
        record(try tree.apply(plan, templates: templates, directoryCreated: directoryCreated), into: &outcome)
        let touched = Set(plan.actions.map(\.slug))
        outcome.findings = found.filter { !touched.contains($0.slug) }
        for slug in touched { outcome.findings += tree.findings(about: slug, persona: bySlug[slug]) }
        return outcome
    }

    private func record(_ repairs: [RepairResult], into outcome: inout SyncOutcome) {
        for repair in repairs {
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
