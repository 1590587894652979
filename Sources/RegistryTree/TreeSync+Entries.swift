import RegistryCore

/// The pipeline over a few named entries: the daemon's re-checks (inotify, retries of
/// failed repairs) and notification batches, one code path with the policy a parameter.
extension TreeSync {
    /// Rows named by notifications: their entries brought in step under the policy of a
    /// repairing sweep (`.repairSweep`), since the row changed: a missing directory is
    /// made whole, a missing, empty or stale identity file rewritten, missing seed files
    /// created; an invalid identity file is only reported (`reconcile` replaces it).
    /// No flush: `SyncResult.wrote` tells the daemon to flush once per burst.
    /// `presumedMissing`: the slugs of rows the caller has never seen (new personas): their
    /// entries are planned as missing without a lookup, and the new directory's rename without
    /// replacing is the look. Refused, the entry is inspected and planned as any other.
    public func apply(_ personas: [Persona], presumedMissing: Set<String> = [], progress: () -> Void) throws -> SyncResult {
        try bringInStep(personas.map(\.slug), personas: personas, policy: .repairSweep, presumedMissing: presumedMissing,
                        progress: progress)
    }

    /// Entries whose events settled (`.check`), or whose repair failed (`.repairSweep`):
    /// the same as `apply`, under `policy`, flushed at its end.
    public func recheck(_ names: Set<String>, personas: [Persona], policy: RepairPolicy) throws -> SyncResult {
        let result = try bringInStep(names.sorted(), personas: personas, policy: policy, progress: {})
        if result.wrote { try tree.flush() }
        return result
    }

    /// Brings each root entry named in step with its row (from `personas`, by slug), one
    /// entry at a time: the entry is inspected, compared with its row (`DriftEngine`), the
    /// repairs `policy` allows are planned (`RepairPlan`), and the plan is carried out
    /// (`carryOut`, no flush). The findings left are read again only where something was
    /// planned, and not in a directory the plan made whole: it holds just what was written
    /// (an insert burst of 10,000 rows reads nothing back). `progress` is called after
    /// each entry. `listing`: a sweep's, whose directories go to `directoryListed` before
    /// they are read. `presumedMissing`: as `apply` says.
    func bringInStep(_ names: [String], personas: [Persona], policy: RepairPolicy, listing: Bool = false,
                     presumedMissing: Set<String> = [], progress: () -> Void) throws -> SyncResult {
        var rows: [String: Persona] = [:]
        rows.reserveCapacity(personas.count)
        for persona in personas { rows[persona.slug] = persona }
        var result = SyncResult()
        // New directories staged ahead a run at a time (`StagedAhead`); what a run did not
        // take is removed at the end, a throw included.
        var stagedUpTo = 0
        defer { if stagedUpTo > 0 { tree.newDirectories.discardStagedAhead() } }
        for (index, name) in names.enumerated() where !TreeSnapshot.isOwnEntry(name) {
            defer { progress() }
            if index >= stagedUpTo, !presumedMissing.isEmpty, let templates {
                stagedUpTo = min(names.count, index + StagedAhead.runLength)
                stageAhead(names[index..<stagedUpTo], rows: rows, presumedMissing: presumedMissing, templates: templates)
            }
            let persona = rows[name]
            guard persona != nil || Slug.isTreeName(name) else {
                if let type = try? tree.entryType(name) {
                    result.remaining.append(DriftEngine.finding(stray: StrayEntry(name: name, type: type)))
                }
                continue
            }
            if persona != nil, presumedMissing.contains(name),
               try bringEntryInStep(name, persona: persona, entry: nil, policy: policy, presumed: true, into: &result) {
                continue
            }
            let entry: SlugEntry?
            do {
                entry = try tree.inspect(name, directoryListed: listing ? directoryListed : { _ in })
            } catch {
                result.failures.append(SyncFailure(slug: name, error: error))
                result.remaining += DriftEngine.findings(slug: name, persona: persona, entry: .notDirectory(.unknown))
                continue
            }
            try bringEntryInStep(name, persona: persona, entry: entry, policy: policy, presumed: false, into: &result)
        }
        return result
    }

    /// The new directories of the run `names` staged ahead: rows presumed missing, active (an
    /// archived row gets no directory) and with a slug the tree can hold.
    private func stageAhead(_ names: ArraySlice<String>, rows: [String: Persona], presumedMissing: Set<String>,
                            templates: SeedTemplates) {
        let personas = names.compactMap { name -> Persona? in
            guard presumedMissing.contains(name), let persona = rows[name], persona.status == .active,
                  (try? PersonaTree.component(name)) != nil else { return nil }
            return persona
        }
        tree.newDirectories.stageAhead(personas, templates: templates)
    }

    /// One entry as `entry` says it is: compared with its row, planned, carried out, recorded in
    /// `result`. `presumed`: `entry` is `nil` without a lookup; `false`, with nothing done or
    /// recorded, unless the plan makes the directory and its rename was not refused.
    @discardableResult
    private func bringEntryInStep(_ name: String, persona: Persona?, entry: SlugEntry?, policy: RepairPolicy, presumed: Bool,
                             into result: inout SyncResult) throws -> Bool {
        let found = DriftEngine.findings(slug: name, persona: persona, entry: entry)
        let plan = RepairPlan.make(findings: found, personas: persona.map { [$0] } ?? [],
                                   snapshot: TreeSnapshot(entries: entry.map { [name: $0] } ?? [:]), policy: policy)
        if presumed, !plan.actions.contains(where: \.createsDirectory) { return false }
        guard !plan.actions.isEmpty else {
            result.found += found
            result.remaining += found
            return true
        }
        guard let repairs = try carryOut(plan, flush: false, presumedMissing: presumed, progress: {}, into: &result) else {
            return false
        }
        result.found += found
        result.plan.actions += plan.actions
        result.plan.unrepaired += plan.unrepaired
        if !repairs.contains(where: { $0.outcome?.madeWhole == true }) {
            result.remaining += tree.findings(about: name, persona: persona)
        }
        return true
    }
}
