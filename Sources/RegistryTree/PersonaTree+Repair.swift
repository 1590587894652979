import Glibc
import RegistryCore
import RegistrySystem

/// The repairs: one persona's directory brought in step, a plan carried out
/// (`TreeSync` reads, plans and reads again around them).
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
    /// `missing`: the plan saw no entry there (`createDirectory`): not looked up again, since
    /// the new directory's rename refuses to replace whatever appeared meanwhile. `presumed`:
    /// the plan did not look either; a refused rename then does nothing more (`renameRefused`).
    public func materialize(_ persona: Persona, templates: SeedTemplates, identity: IdentityRepair?, seedNames: [String]? = nil,
                            missing: Bool = false, presumed: Bool = false,
                            directoryCreated: DirectoryCreated = { _, _ in }) throws -> MaterializeOutcome {
        var outcome = MaterializeOutcome()
        let slug = try PersonaTree.component(persona.slug)
        // Encoded once, and only if written: a directory staged ahead holds it already.
        var encoded: [UInt8]?
        func expected() -> [UInt8] {
            if let encoded { return encoded }
            let bytes = IdentityEncoder.encode(persona)
            encoded = bytes
            return bytes
        }
        switch missing ? nil : try entryType(slug) {
        case nil:
            if persona.status == .archived {
                outcome.skippedArchived = true
                return outcome
            }
            if let seeded = try newDirectories.createWhole(slug: slug, persona: persona, identity: expected,
                                                           seeds: { templates.files(for: persona) },
                                                           directoryCreated: directoryCreated) {
                outcome.createdDirectory = true
                outcome.seeded = seeded
                outcome.identity = .created
                return outcome
            }
            // Someone made `slug` meanwhile, or this file system cannot rename without replacing.
            // Presumed missing, the entry may have been there all along: it is looked at first.
            if presumed {
                outcome.renameRefused = true
                return outcome
            }
            outcome.createdDirectory = try makePersonaDirectory(slug)
            if outcome.createdDirectory { directoryCreated(slug, slug) }
        case .directory?:
            break
        case let other?:
            throw TreeError.notADirectory(path: displayPath(slug), type: other)
        }
        let files = try files(in: slug)
        for seed in templates.files(for: persona) where seedNames?.contains(seed.name) ?? true {
            if try files.createFileIfAbsent(seed.name, bytes: seed.bytes, seenAbsent: outcome.createdDirectory) {
                outcome.seeded.append(seed.name)
            }
        }
        // A directory just made holds nothing yet: its identity file is missing, whatever was planned.
        let repair: IdentityRepair? = outcome.createdDirectory ? .write : identity
        switch repair {
        case nil:
            break
        case .write?:
            // Missing when planned: created without replacing, so a file a person made since
            // is kept (its own event has it re-checked) rather than renamed over.
            if try files.writeAtomicallyIfAbsent(expected(), name: PersonaTree.identityFileName) {
                outcome.identity = .created
            }
        case .rewrite?:
            try files.writeAtomically(expected(), name: PersonaTree.identityFileName)
            outcome.identity = .rewritten(preservedAs: nil)
        case .replaceKeepingOld?:
            let kept = try files.preserveRejectedIdentity()
            try files.writeAtomically(expected(), name: PersonaTree.identityFileName)
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
    /// `presumedMissing`: the plan was made without looking at the entry (`materialize`'s `presumed`).
    public func apply(_ plan: RepairPlan, templates: SeedTemplates, flush: Bool = true, presumedMissing: Bool = false,
                      progress: () -> Void = {}, directoryCreated: DirectoryCreated = { _, _ in }) throws -> [RepairResult] {
        var results: [RepairResult] = []
        for action in plan.actions {
            defer { progress() }
            do {
                if let persona = action.persona {
                    let missing = action.createsDirectory
                    results.append(RepairResult(action: action, outcome: try materialize(
                        persona, templates: templates, identity: action.identityRepair, seedNames: action.seedNames,
                        missing: missing, presumed: missing && presumedMissing, directoryCreated: directoryCreated)))
                } else if case .removeTempFile(let slug, let name) = action {
                    results.append(RepairResult(action: action, removed: try removeLeftoverTempFile(name, slug: slug)))
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

    /// Removes `slug/name` if it is a leftover temp file of ours: the name matches our
    /// pattern, it is a regular file, and the process that wrote it is gone (never a live
    /// writer's file, never our own). `true` if removed. The writer is asked first, so a
    /// live writer's file costs no system call on the directory.
    func removeLeftoverTempFile(_ name: String, slug: String) throws -> Bool {
        guard names.isLeftover(writtenBy: TempFileName.writerPID(name)) else { return false }
        return try files(in: slug).removeTempFile(name)
    }
}
