import RegistryCore

/// What one sweep found, did, and left.
public struct SweepResult: Sendable, Equatable {
    /// The findings before any repair.
    public var found: [Finding]
    /// Each repair tried (empty for a dry run).
    public var repairs: [RepairResult]
    /// The plan the policy allowed.
    public var plan: RepairPlan
    /// The findings after the repairs, sorted (the repaired slugs re-checked).
    public var remaining: [Finding]
}

extension PersonaTree {
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
        if !dryRun { removeLeftoverStaging(staging) }
        let plan = RepairPlan.make(findings: found, personas: personas, snapshot: withTempFiles, policy: policy)
        guard !dryRun, !plan.actions.isEmpty else {
            return SweepResult(found: found, repairs: [], plan: plan, remaining: dryRun ? plan.unrepaired : found)
        }
        if templates == nil, plan.actions.contains(where: { $0.persona != nil }) {
            throw RegistryError.noSeedTemplates
        }
        let repairs = try apply(plan, templates: templates ?? SeedTemplates(templates: [:]), policy: policy, progress: progress,
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
