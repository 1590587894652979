/// Drift as a pure function of the rows and one snapshot of the tree.
public enum DriftEngine {
    /// Every finding, sorted by slug then kind. Linear in rows plus entries.
    public static func findings(personas: [Persona], snapshot: TreeSnapshot) -> [Finding] {
        findings(personas: personas) { visit in
            for (slug, entry) in snapshot.entries { visit(.slug(slug, entry)) }
            for stray in snapshot.strays { visit(.stray(stray)) }
        }
    }

    /// The same findings, from root entries streamed by `forEachItem` (e.g.
    /// `PersonaTree.forEachSnapshotItem`): each entry is compared with its row
    /// when it is seen and then dropped, so memory holds the rows and the
    /// findings but not every parsed identity file of the tree.
    public static func findings(
        personas: [Persona],
        streaming forEachItem: ((TreeSnapshotItem) -> Void) throws -> Void
    ) rethrows -> [Finding] {
        // Positions, not copies of the rows, and a bit per row for "seen": at 100,000 personas
        // a dictionary of rows and a set of slugs held a third of drift's peak.
        var position: [String: Int] = [:]
        position.reserveCapacity(personas.count)
        for (index, persona) in personas.enumerated() { position[persona.slug] = index }
        var seen = [Bool](repeating: false, count: personas.count)
        var findings: [Finding] = []
        try forEachItem { item in
            switch item {
            case .slug(let slug, let entry):
                let index = position[slug]
                if let index { seen[index] = true }
                findings += self.findings(slug: slug, persona: index.map { personas[$0] }, entry: entry)
            case .stray(let stray):
                findings.append(finding(stray: stray))
            }
        }
        for (index, persona) in personas.enumerated() where !seen[index] {
            findings += self.findings(slug: persona.slug, persona: persona, entry: nil)
        }
        return findings.sorted(by: Finding.reportOrder)
    }

    /// The finding about a root entry whose name is not a slug.
    public static func finding(stray: StrayEntry) -> Finding {
        let what = stray.type == .directory ? "directory whose name is not a slug" : "\(stray.type.rawValue) in the tree root"
        return Finding(kind: .unexpectedEntry, slug: stray.name, detail: what)
    }

    /// The findings for one slug: its row (if any) against its root entry (if any).
    /// The daemon uses this to re-check a dirty slug after inotify events.
    public static func findings(slug: String, persona: Persona?, entry: SlugEntry?) -> [Finding] {
        switch (persona, entry) {
        case (nil, nil):
            return []
        case (let persona?, nil):
            guard persona.status == .active else { return [] }  // an archived persona may have no directory
            return [Finding(kind: .missingDirectory, slug: slug, personaID: persona.id, detail: "active persona has no directory")]
        case (let persona, .notDirectory(let type)?):
            let detail = persona.map { _ in "\(type.rawValue) where the persona's directory should be" }
                ?? "\(type.rawValue) in the tree root"
            return [Finding(kind: .unexpectedEntry, slug: slug, personaID: persona?.id, detail: detail)]
        case (nil, .directory?):
            return [Finding(kind: .orphanDirectory, slug: slug, detail: "no persona has this slug")]
        case (let persona?, .directory(let directory)?):
            return identityFindings(slug: slug, persona: persona, identity: directory.identity)
                + seedFindings(slug: slug, persona: persona, directory: directory)
        }
    }

    static func identityFindings(slug: String, persona: Persona, identity: IdentityState) -> [Finding] {
        switch identity {
        case .missing:
            return [Finding(kind: .missingIdentity, slug: slug, personaID: persona.id, detail: "the directory has no identity.yaml")]
        case .invalid(let reason):
            return [Finding(kind: .invalidIdentity, slug: slug, personaID: persona.id, detail: reason.description, reason: reason)]
        case .valid(let fields):
            let differences = IdentityComparison.differences(persona, fields)
            guard !differences.isEmpty else { return [] }
            let detail = differences.map { "\($0.field): database \($0.database), file \($0.file)" }.joined(separator: "; ")
            return [Finding(kind: .identityMismatch, slug: slug, personaID: persona.id, detail: detail, differences: differences)]
        }
    }

    /// Seed files an agent reading the directory would not find, or would find outside the tree
    /// (a person has none to miss; one a host put there that leads out is still reported).
    static func seedFindings(slug: String, persona: Persona, directory: PersonaDirectory) -> [Finding] {
        (persona.hasSeedFiles ? directory.missingSeeds : []).map { name in
            Finding(kind: .missingSeedFile, slug: slug, personaID: persona.id, detail: "\(name) is missing", file: name)
        } + directory.escapingSeeds.map { seed in
            Finding(kind: .escapingSeedFile, slug: slug, personaID: persona.id,
                    detail: "\(seed.name) is a symbolic link leading out of the tree (-> \(seed.target))", file: seed.name)
        }
    }
}
