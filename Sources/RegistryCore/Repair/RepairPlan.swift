/// One repair, made through `PersonaTree`.
public enum RepairAction: Sendable, Equatable {
    /// Create the directory with its seed files and identity file.
    case createDirectory(Persona)
    /// Write a missing identity file (and seed files that are missing with it).
    case writeIdentity(Persona)
    /// Rewrite an identity file whose fields differ from the row, or an empty one.
    case rewriteIdentity(Persona, differing: [String])
    /// Rewrite an invalid regular identity file, keeping the old bytes beside it.
    case replaceInvalidIdentity(Persona, reason: InvalidIdentityReason)
    /// Create missing seed files from the templates (never replacing anything).
    case writeSeedFiles(Persona, names: [String])
    /// Remove a leftover temp file of ours (only if its writer is gone).
    case removeTempFile(slug: String, name: String)

    public var slug: String {
        switch self {
        case .createDirectory(let persona), .writeIdentity(let persona), .rewriteIdentity(let persona, _),
             .replaceInvalidIdentity(let persona, _), .writeSeedFiles(let persona, _):
            persona.slug
        case .removeTempFile(let slug, _):
            slug
        }
    }

    /// The persona whose directory the action materializes, if any.
    public var persona: Persona? {
        switch self {
        case .createDirectory(let persona), .writeIdentity(let persona), .rewriteIdentity(let persona, _),
             .replaceInvalidIdentity(let persona, _), .writeSeedFiles(let persona, _):
            persona
        case .removeTempFile:
            nil
        }
    }
}

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
        let materialized = Set(plan.actions.map(\.slug))
        for (slug, names) in missingSeeds.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) })
        where !materialized.contains(slug) {
            plan.actions.append(.writeSeedFiles(bySlug[slug]!, names: names))
        }
        for slug in snapshot.entries.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
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
            return .writeIdentity(persona)
        case .identityMismatch:
            return policy == .check ? nil : .rewriteIdentity(persona, differing: finding.differences.map(\.field))
        case .invalidIdentity:
            guard let reason = finding.reason, reason.isRegularFile else { return nil }
            if reason.isEmptyFile { return policy == .check ? nil : .rewriteIdentity(persona, differing: []) }
            return policy == .reconcile ? .replaceInvalidIdentity(persona, reason: reason) : nil
        case .missingSeedFile:
            return nil  // planned per persona by `make`, together with the persona's other repairs
        case .orphanDirectory, .unexpectedEntry, .escapingSeedFile:
            return nil
        }
    }
}
