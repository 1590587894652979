import RegistryCore

/// The one pipeline that keeps the tree in step with the rows: entries inspected ->
/// `DriftEngine` -> `RepairPlan` under a policy -> the plan carried out as it is
/// (`PersonaTree.apply`) -> the entries it touched read again, unless a repair made them
/// whole (a directory just made holds just what was written). `drift`, `reconcile` and
/// the daemon's sweeps run it over the whole tree (`sweep`); the daemon's re-checks and
/// notification batches over the entries concerned (`bringInStep`, `TreeSync+Entries`).
/// Every run returns a `SyncResult`.
public final class TreeSync {
    public let tree: PersonaTree
    /// The seed templates new files are written from; `nil` where nothing may be written
    /// (a sweep that would need them then fails with `TreeError.noSeedTemplates`).
    public var templates: SeedTemplates?
    /// Called as each persona directory is made, before it appears under its slug (see
    /// `DirectoryCreated`): the daemon watches it at once, so a person's change made right
    /// after is seen.
    public var directoryCreated: DirectoryCreated = { _, _ in }
    /// Called by sweeps with each existing persona-like directory before it is read.
    public var directoryListed: (String) -> Void = { _ in }

    public init(tree: PersonaTree, templates: SeedTemplates?) {
        self.tree = tree
        self.templates = templates
    }

    /// A sweep: one streaming pass over the tree, the findings against `personas`, the
    /// repairs `policy` allows (unless `dryRun`), one flush, then the touched entries read
    /// again. `progress` is called after each entry read, repaired or read again, so a
    /// caller can show it is alive during a long sweep (systemd's watchdog).
    public func sweep(personas: [Persona], policy: RepairPolicy, dryRun: Bool = false,
                      progress: () -> Void = {}) throws -> SyncResult {
        // Streamed: each entry is compared with its row as it is listed and then
        // dropped; only directories holding leftover temp files are kept (the plan
        // removes those), not every parsed identity file of the tree.
        var withTempFiles = TreeSnapshot()
        var staging: [String] = []
        var result = SyncResult()
        result.found = try DriftEngine.findings(personas: personas) { visit in
            try tree.forEachSnapshotItem(progress: progress, ownEntry: { name in
                if StagingName.writerPID(name) != nil { staging.append(name) }
            }, directoryListed: directoryListed) { item in
                if case .slug(let slug, .directory(let directory)) = item, !directory.tempFiles.isEmpty {
                    withTempFiles.entries[slug] = .directory(directory)
                }
                visit(item)
            }
        }
        if !dryRun { tree.newDirectories.removeLeftoverStaging(staging) }
        result.plan = RepairPlan.make(findings: result.found, personas: personas, snapshot: withTempFiles, policy: policy)
        guard !dryRun, !result.plan.actions.isEmpty else {
            result.remaining = dryRun ? result.plan.unrepaired : result.found
            return result
        }
        // Never nil: every entry was looked at (nothing presumed missing).
        let repairs = try carryOut(result.plan, flush: true, progress: progress, into: &result) ?? []
        // Only the entries a persona's repair touched are read again, and not one a repair made whole.
        let touched = Set(result.plan.actions.compactMap { $0.persona?.slug })
        let madeWhole = Set(repairs.compactMap { repair in repair.outcome?.madeWhole == true ? repair.action.slug : nil })
        // The rows of the entries read again only: at a first start every directory is made
        // whole, and a dictionary of every row (51 MiB at 100,000) was built for nothing.
        let reread = touched.subtracting(madeWhole)
        var rows: [String: Persona] = [:]
        if !reread.isEmpty {
            for persona in personas where reread.contains(persona.slug) { rows[persona.slug] = persona }
        }
        result.remaining = result.found.filter { !touched.contains($0.slug) }
        for slug in reread {
            result.remaining += tree.findings(about: slug, persona: rows[slug])
            progress()
        }
        result.remaining.sort(by: Finding.reportOrder)
        return result
    }

    /// The first step alone, for `drift`: every row against one streaming pass over the
    /// tree, nothing planned or written.
    public func drift(_ personas: [Persona]) throws -> [Finding] {
        try DriftEngine.findings(personas: personas) { try tree.forEachSnapshotItem($0) }
    }

    /// What a dry run of `reconcile` would do to a tree that does not exist yet: every
    /// active persona's directory would be created (and the tree with them).
    public static func planForMissingTree(personas: [Persona], policy: RepairPolicy) -> SyncResult {
        var result = SyncResult()
        result.found = DriftEngine.findings(personas: personas, snapshot: TreeSnapshot())
        result.plan = RepairPlan.make(findings: result.found, personas: personas, snapshot: TreeSnapshot(), policy: policy)
        result.remaining = result.plan.unrepaired
        return result
    }

    /// Carries out `plan` as it is (`PersonaTree.apply`) and records what it did in
    /// `result`; returns the repairs, for the caller to decide what to read again. Each
    /// action's failure is in its result; only a flush throws. `presumedMissing`: the plan
    /// was made for an entry not looked at; `nil`, with nothing recorded, when the new
    /// directory's rename was refused (an entry is there after all).
    func carryOut(_ plan: RepairPlan, flush: Bool, presumedMissing: Bool = false, progress: () -> Void,
                  into result: inout SyncResult) throws -> [RepairResult]? {
        if templates == nil, plan.actions.contains(where: { $0.persona != nil }) { throw TreeError.noSeedTemplates }
        let repairs = try tree.apply(plan, templates: templates ?? SeedTemplates(templates: [:]), flush: flush,
                                     presumedMissing: presumedMissing, progress: progress, directoryCreated: directoryCreated)
        if repairs.contains(where: { $0.outcome?.renameRefused == true }) { return nil }
        result.record(repairs)
        return repairs
    }
}
