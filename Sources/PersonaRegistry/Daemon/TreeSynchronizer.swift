/// The daemon's `TreeSync` over the Tree layer: `PersonaTree.materialize`
/// does every write (directory, seed files, atomic identity file); this type
/// decides which entries to visit and with which write mode, and states the
/// findings that remain afterwards.
public final class TreeSynchronizer: TreeSync {
    let tree: PersonaTree
    private var templates: SeedTemplates

    public init(configuration: DaemonConfiguration) throws {
        tree = try PersonaTree(path: configuration.treePath, create: true)
        templates = try SeedTemplates(directory: configuration.templatesPath)
    }

    public var path: String { tree.path }
    public var rootDescriptor: Int32 { tree.rootDescriptor }

    public func useTemplates(_ path: String) throws {
        templates = try SeedTemplates(directory: path)
    }

    public func flush() throws {
        try tree.flush()
    }

    public func sweep(_ personas: [Persona], policy: SweepPolicy) throws -> SyncOutcome {
        let mode: IdentityWriteMode = policy == .repair ? .ifStale : .ifMissing
        var bySlug = Dictionary(personas.map { ($0.slug, $0) }, uniquingKeysWith: { $1 })
        var outcome = SyncOutcome()
        // Stream the root once; each entry is visited as it comes.
        try tree.forEachRootEntry { entry in
            guard !TreeSynchronizer.isOwnEntry(entry.name) else { return }
            let persona = entry.nameIsUTF8 ? bySlug.removeValue(forKey: entry.name) : nil
            visit(entry.name, type: entry.type, persona: persona, mode: mode, cleanTemps: policy == .repair, into: &outcome)
        }
        // Rows whose directory the listing did not show.
        for persona in personas where bySlug[persona.slug] != nil {
            visit(persona.slug, type: nil, persona: persona, mode: mode, cleanTemps: false, into: &outcome)
        }
        return outcome
    }

    public func apply(_ personas: [Persona]) throws -> SyncOutcome {
        var outcome = SyncOutcome()
        for persona in personas {
            visit(persona.slug, type: try? tree.entryType(persona.slug), persona: persona,
                  mode: .replacing, cleanTemps: false, into: &outcome)
        }
        return outcome
    }

    public func recheck(_ names: Set<String>, personas: [Persona]) throws -> SyncOutcome {
        let bySlug = Dictionary(personas.map { ($0.slug, $0) }, uniquingKeysWith: { $1 })
        var outcome = SyncOutcome()
        for name in names.sorted() where !TreeSynchronizer.isOwnEntry(name) {
            let type: EntryType?
            do {
                type = try tree.entryType(name)
            } catch {
                outcome.failures.append((name, "\(error)"))
                continue
            }
            visit(name, type: type, persona: bySlug[name], mode: .ifMissing, cleanTemps: false, into: &outcome)
        }
        return outcome
    }

    /// Hidden entries named `.persona-registry*` are the registry's own (the lock file).
    static func isOwnEntry(_ name: String) -> Bool { name.hasPrefix(".persona-registry") }

    /// One root entry: brought in step with its row as far as `mode` allows,
    /// then described by the findings that remain.
    private func visit(_ name: String, type: EntryType?, persona: Persona?, mode: IdentityWriteMode,
                       cleanTemps: Bool, into outcome: inout SyncOutcome) {
        guard let persona else {
            guard let type else { return }  // gone: nothing to report
            if type == .directory {
                outcome.findings.append(DaemonFinding(kind: "orphan_directory", subject: name,
                                                      detail: "no persona has this slug; left in place"))
            } else {
                outcome.findings.append(DaemonFinding(kind: "unexpected_entry", subject: name,
                                                      detail: "a \(type.rawValue) in the tree root"))
            }
            return
        }
        if let type, type != .directory {
            outcome.findings.append(DaemonFinding(
                kind: "unexpected_entry", subject: name,
                detail: "a \(type.rawValue) where the directory of persona \(persona.id) should be; left alone, never followed"))
            return
        }
        if type == .directory, cleanTemps { removeLeftoverTempFiles(persona.slug, into: &outcome) }
        let result: MaterializeOutcome
        do {
            result = try tree.materialize(persona, templates: templates, mode: mode)
        } catch {
            outcome.failures.append((persona.slug, "\(error)"))
            if let now = try? tree.entryType(persona.slug), now != .directory {
                outcome.findings.append(DaemonFinding(
                    kind: "unexpected_entry", subject: name,
                    detail: "a \(now.rawValue) where the directory of persona \(persona.id) should be; left alone, never followed"))
            }
            return
        }
        if result.skippedArchived { return }
        outcome.directories.append(persona.slug)
        if result.createdDirectory { outcome.created.append(persona) }
        switch result.identity {
        case .created where !result.createdDirectory, .rewritten:
            outcome.rewritten.append(persona)
        case .leftAlone:
            if let finding = identityFinding(persona) { outcome.findings.append(finding) }
        case .created, .unchanged:
            break
        }
    }

    /// The finding about a persona's identity file that was left alone.
    private func identityFinding(_ persona: Persona) -> DaemonFinding? {
        let state: IdentityState
        do {
            state = IdentityState(try tree.readIdentity(persona.slug))
        } catch {
            return DaemonFinding(kind: "invalid_identity", subject: persona.slug, detail: "\(error)")
        }
        switch state {
        case .missing:
            return DaemonFinding(kind: "missing_identity", subject: persona.slug, detail: "the directory has no identity file")
        case .invalid(let reason):
            return DaemonFinding(kind: "invalid_identity", subject: persona.slug, detail: reason.description + "; left alone")
        case .valid(let fields):
            let differences = IdentityComparison.differences(persona, fields)
            guard !differences.isEmpty else { return nil }
            return DaemonFinding(kind: "identity_mismatch", subject: persona.slug, detail: differences
                .map { "\($0.field): database \($0.database), file \($0.file)" }.joined(separator: "; "))
        }
    }

    /// Temp files a killed daemon left behind (recognised by name, the writer gone).
    private func removeLeftoverTempFiles(_ slug: String, into outcome: inout SyncOutcome) {
        do {
            var leftovers: [String] = []
            try tree.forEachEntry(inPersona: slug) { entry in
                if entry.type == .regular, TempFileName.isTempFile(entry.name) { leftovers.append(entry.name) }
            }
            for name in leftovers { try tree.removeLeftoverTempFile(name, slug: slug) }
        } catch {
            outcome.failures.append((slug, "\(error)"))
        }
    }
}
