import Glibc
import RegistryCore
import RegistrySystem

/// The repairs: one persona's directory brought in step, a plan carried out,
/// a sweep (read, plan, carry out, re-check).
extension PersonaTree {
    /// Brings one persona's directory in step with its row: creates the
    /// directory if missing (never for an archived persona), any missing seed
    /// file in `seedNames` (nil: every template; whatever is there under a seed
    /// file's name, a symbolic link included, is never touched), then carries
    /// out `identity`, the repair a plan decided for the identity file (nil:
    /// none), last and atomically: the file is not read or judged again here.
    /// Used by `apply`. Throws when the slug's entry is not a directory
    /// (a symbolic link or a file is left alone) or a system call fails.
    /// A new directory appears whole (`createWhole`). `directoryCreated` is
    /// called as a directory is made, before it appears under its slug or
    /// before anything is written in it (the daemon watches it then).
    public func materialize(_ persona: Persona, templates: SeedTemplates, identity: IdentityRepair?, seedNames: [String]? = nil,
                            directoryCreated: DirectoryCreated = { _, _ in }) throws -> MaterializeOutcome {
        var outcome = MaterializeOutcome()
        let slug = try PersonaTree.component(persona.slug)
        let expected = IdentityEncoder.encode(persona)
        switch try entryType(slug) {
        case nil:
            if persona.status == .archived {
                outcome.skippedArchived = true
                return outcome
            }
            if let seeded = try NewDirectory(tree: self).createWhole(slug: slug, identity: expected, seeds: templates.render(for: persona),
                                            directoryCreated: directoryCreated) {
                outcome.createdDirectory = true
                outcome.seeded = seeded
                outcome.identity = .created
                return outcome
            }
            // Someone made `slug` meanwhile, or this file system cannot rename without replacing.
            outcome.createdDirectory = try makePersonaDirectory(slug)
            if outcome.createdDirectory { directoryCreated(slug, slug) }
        case .directory?:
            break
        case let other?:
            throw RegistryError.notADirectory(path: displayPath(slug), type: other)
        }
        let directory = try openPersonaDirectory(slug)
        for seed in templates.render(for: persona) where seedNames?.contains(seed.name) ?? true {
            if try files.createFileIfAbsent(seed.name, bytes: Array(seed.text.utf8), in: directory, slug: slug,
                                      inNewDirectory: outcome.createdDirectory) {
                outcome.seeded.append(seed.name)
            }
        }
        // A directory just made holds nothing yet: its identity file is missing, whatever was planned.
        let repair: IdentityRepair? = outcome.createdDirectory ? .write : identity
        switch repair {
        case nil:
            break
        case .write?:
            try files.writeAtomically(expected, name: PersonaTree.identityFileName, in: directory, slug: slug)
            outcome.identity = .created
        case .rewrite?:
            try files.writeAtomically(expected, name: PersonaTree.identityFileName, in: directory, slug: slug)
            outcome.identity = .rewritten(preservedAs: nil)
        case .replaceKeepingOld?:
            let kept = try files.preserveRejectedIdentity(slug: slug)
            try files.writeAtomically(expected, name: PersonaTree.identityFileName, in: directory, slug: slug)
            outcome.identity = .rewritten(preservedAs: kept)
        }
        return outcome
    }

    /// Applies a plan, each action exactly as planned: nothing is decided again
    /// here (the identity file is written, rewritten or replaced as the action
    /// says, and only the seed files it names are created). Every action is
    /// tried (one failing is recorded and does not stop the others), then the
    /// tree is flushed once if anything was written (a failed flush throws);
    /// with `flush` false the caller flushes (the daemon, once per burst of
    /// notifications; `RepairResult.changedTree` says whether one is owed).
    public func apply(_ plan: RepairPlan, templates: SeedTemplates, flush: Bool = true,
                      progress: () -> Void = {}, directoryCreated: DirectoryCreated = { _, _ in }) throws -> [RepairResult] {
        var results: [RepairResult] = []
        for action in plan.actions {
            defer { progress() }
            do {
                if let persona = action.persona {
                    results.append(RepairResult(action: action, outcome: try materialize(
                        persona, templates: templates, identity: action.identityRepair, seedNames: action.seedNames,
                        directoryCreated: directoryCreated)))
                } else if case .removeTempFile(let slug, let name) = action {
                    results.append(RepairResult(action: action, removed: try files.removeLeftoverTempFile(name, slug: slug)))
                }
            } catch {
                results.append(RepairResult(action: action, error: "\(error)", errorKind: FailureKind.of(error)))
            }
        }
        if flush, results.contains(where: \.changedTree) {
            try self.flush()
        }
        return results
    }

    /// The dry-run plan for a tree that does not exist yet: every active
    /// persona's directory would be created (and the tree with them).
    public static func planForMissingTree(personas: [Persona], policy: RepairPolicy) -> SweepResult {
        let found = DriftEngine.findings(personas: personas, snapshot: TreeSnapshot())
        let plan = RepairPlan.make(findings: found, personas: personas, snapshot: TreeSnapshot(), policy: policy)
        return SweepResult(found: found, repairs: [], plan: plan, remaining: plan.unrepaired)
    }

    /// A sweep: one streaming pass over the tree, the findings against `personas`, the
    /// repairs `policy` allows (unless `dryRun`), one flush, then a re-check of
    /// the slugs it touched. The daemon's sweeps and `reconcile` both use it.
    /// `progress` is called after each entry read, repaired or re-checked, so
    /// a caller can show it is alive during a long sweep (systemd's watchdog).
    /// `directoryCreated` is called as each persona directory is made,
    /// `directoryListed` with each directory named like a slug before it is read.
    public func sweep(personas: [Persona], templates: SeedTemplates?, policy: RepairPolicy, dryRun: Bool = false,
                      progress: () -> Void = {}, directoryCreated: DirectoryCreated = { _, _ in },
                      directoryListed: (String) -> Void = { _ in }) throws -> SweepResult {
        // Streamed: each entry is compared with its row as it is listed and then
        // dropped; only directories holding leftover temp files are kept (the plan
        // removes those), not every parsed identity file of the tree.
        var withTempFiles = TreeSnapshot()
        var staging: [String] = []
        let found = try DriftEngine.findings(personas: personas) { visit in
            try forEachSnapshotItem(progress: progress, ownEntry: { name in
                if StagingName.writerPID(name) != nil { staging.append(name) }
            }, directoryListed: directoryListed) { item in
                if case .slug(let slug, .directory(let directory)) = item, !directory.tempFiles.isEmpty {
                    withTempFiles.entries[slug] = .directory(directory)
                }
                visit(item)
            }
        }
        if !dryRun { NewDirectory(tree: self).removeLeftoverStaging(staging) }
        let plan = RepairPlan.make(findings: found, personas: personas, snapshot: withTempFiles, policy: policy)
        guard !dryRun, !plan.actions.isEmpty else {
            return SweepResult(found: found, repairs: [], plan: plan, remaining: dryRun ? plan.unrepaired : found)
        }
        if templates == nil, plan.actions.contains(where: { $0.persona != nil }) {
            throw RegistryError.noSeedTemplates
        }
        let repairs = try apply(plan, templates: templates ?? SeedTemplates(templates: [:]), progress: progress,
                                directoryCreated: directoryCreated)
        let touched = Set(plan.actions.compactMap { $0.persona?.slug })
        // A directory a repair has just made holds just what it wrote: nothing to find in it.
        let madeWhole = Set(repairs.compactMap { repair in repair.outcome?.madeWhole == true ? repair.action.slug : nil })
        var bySlug: [String: Persona] = [:]
        for persona in personas where touched.contains(persona.slug) { bySlug[persona.slug] = persona }
        var remaining = found.filter { !touched.contains($0.slug) }
        for slug in touched where !madeWhole.contains(slug) {
            remaining += findings(about: slug, persona: bySlug[slug])
            progress()
        }
        return SweepResult(found: found, repairs: repairs, plan: plan, remaining: remaining.sorted(by: Finding.reportOrder))
    }
}
