/// What a sweep or reconcile will do, and which findings it leaves for the report.
public struct RepairPlan: Sendable, Equatable {
    public var actions: [RepairAction]
    /// Findings the policy does not let it repair (reported only).
    public var unrepaired: [Finding]

    public init(actions: [RepairAction] = [], unrepaired: [Finding] = []) {
        self.actions = actions
        self.unrepaired = unrepaired
    }

    /// Plans the repairs `policy` allows for `findings` (from the same rows and snapshot).
    public static func make(findings: [Finding], personas: [Persona], snapshot: TreeSnapshot, policy: RepairPolicy) -> RepairPlan {
        var bySlug: [String: Persona] = [:]
        for persona in personas { bySlug[persona.slug] = persona }
        var plan = RepairPlan()
        var missingSeeds: [String: [String]] = [:]
        for finding in findings {
            guard let persona = bySlug[finding.slug] else {
                plan.unrepaired.append(finding)
                continue
            }
            if finding.kind == .missingSeedFile, let name = finding.file {
                missingSeeds[finding.slug, default: []].append(name)
                continue
            }
            guard let action = action(for: finding, persona: persona, policy: policy) else {
                plan.unrepaired.append(finding)
                continue
            }
            plan.actions.append(action)
        }
        // Materializing a persona creates its missing seed files whatever else it does:
        // one action per persona, only where nothing else is planned for it.
        // (The usual plan, a new persona's directory, has none: no set is made for it.)
        if !missingSeeds.isEmpty {
            let materialized = Set(plan.actions.map(\.slug))
            for (slug, names) in missingSeeds.sorted(by: { $0.key.precedesInByteOrder($1.key) })
            where !materialized.contains(slug) {
                plan.actions.append(.writeSeedFiles(bySlug[slug]!, names: names))
            }
        }
        for slug in snapshot.entries.keys.sorted(by: { $0.precedesInByteOrder($1) }) {
            if case .directory(let directory)? = snapshot.entries[slug] {
                plan.actions += directory.tempFiles.map { RepairAction.removeTempFile(slug: slug, name: $0) }
            }
        }
        return plan
    }

    static func action(for finding: Finding, persona: Persona, policy: RepairPolicy) -> RepairAction? {
        switch finding.kind {
        case .missingDirectory:
            return .createDirectory(persona)
        case .missingIdentity:
            return identityAction(.missing, finding: finding, persona: persona, policy: policy)
        case .identityMismatch:
            return identityAction(.differs, finding: finding, persona: persona, policy: policy)
        case .invalidIdentity:
            guard let reason = finding.reason else { return nil }
            return identityAction(.invalid(reason), finding: finding, persona: persona, policy: policy)
        case .missingSeedFile:
            return nil  // planned per persona by `make`, together with the persona's other repairs
        case .orphanDirectory, .unexpectedEntry, .escapingSeedFile:
            return nil
        }
    }

    private static func identityAction(_ problem: IdentityRepair.Problem, finding: Finding, persona: Persona,
                                       policy: RepairPolicy) -> RepairAction? {
        switch IdentityRepair.decide(problem, policy: policy) {
        case .write?: .writeIdentity(persona)
        case .rewrite?: .rewriteIdentity(persona, differing: finding.differences.map(\.field))
        case .replaceKeepingOld?:
            if case .invalid(let reason) = problem { .replaceInvalidIdentity(persona, reason: reason) } else { nil }
        case nil: nil
        }
    }
}
