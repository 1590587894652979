import Glibc
import RegistryCore
import RegistrySystem

/// What `PersonaTree.materialize` does with the identity file: what a plan
/// decided, or (for a notification, which has no plan) what `IdentityRepair`
/// decides under a policy once the file has been read.
public enum IdentityStep: Sendable, Equatable {
    case planned(IdentityRepair?)
    case decide(RepairPolicy)
}

extension PersonaTree {
    /// Brings one persona's directory in step with its row: creates the
    /// directory if missing (never for an archived persona), any missing seed
    /// file in `seedNames` (nil: every template; whatever is there under a seed
    /// file's name, a symbolic link included, is never touched), then carries
    /// out `identity` on the identity file, last and atomically. Used by the
    /// daemon and by reconcile. Throws when the slug's entry is not a directory
    /// (a symbolic link or a file is left alone) or a system call fails.
    /// A new directory appears whole (`createWhole`). `directoryCreated` is
    /// called as a directory is made, before it appears under its slug or
    /// before anything is written in it (the daemon watches it then).
    public func materialize(_ persona: Persona, templates: SeedTemplates, identity: IdentityStep, seedNames: [String]? = nil,
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
            if let seeded = try createWhole(slug: slug, identity: expected, seeds: templates.render(for: persona),
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
            if try createFileIfAbsent(seed.name, bytes: Array(seed.text.utf8), in: directory, slug: slug,
                                      inNewDirectory: outcome.createdDirectory) {
                outcome.seeded.append(seed.name)
            }
        }
        // A directory just made holds nothing yet: its identity file is missing, whatever was planned.
        let repair: IdentityRepair?
        if outcome.createdDirectory {
            repair = .write
        } else {
            switch identity {
            case .planned(let planned):
                repair = planned
            case .decide(let policy):
                switch decideIdentity(persona, in: directory, slug: slug, policy: policy) {
                case .repair(let decided): repair = decided
                case .leaveAlone(let reason):
                    outcome.identity = .leftAlone(reason: reason)
                    return outcome
                }
            }
        }
        switch repair {
        case nil:
            break
        case .write?:
            try writeAtomically(expected, name: PersonaTree.identityFileName, in: directory, slug: slug)
            outcome.identity = .created
        case .rewrite?:
            try writeAtomically(expected, name: PersonaTree.identityFileName, in: directory, slug: slug)
            outcome.identity = .rewritten(preservedAs: nil)
        case .replaceKeepingOld?:
            let kept = try preserveRejectedIdentity(slug: slug)
            try writeAtomically(expected, name: PersonaTree.identityFileName, in: directory, slug: slug)
            outcome.identity = .rewritten(preservedAs: kept)
        }
        return outcome
    }

    private enum IdentityDecision {
        /// nil: the file is in step with the row.
        case repair(IdentityRepair?)
        case leaveAlone(reason: String)
    }

    /// Reads the identity file and asks `IdentityRepair` what `policy` allows.
    private func decideIdentity(_ persona: Persona, in directory: FileDescriptor, slug: String,
                                policy: RepairPolicy) -> IdentityDecision {
        let problem: IdentityRepair.Problem
        switch IdentityState(readIdentity(in: directory, slug: slug)) {
        case .missing:
            problem = .missing
        case .valid(let fields):
            if IdentityComparison.differences(persona, fields).isEmpty { return .repair(nil) }
            problem = .differs
        case .invalid(let reason):
            problem = .invalid(reason)
        }
        if let repair = IdentityRepair.decide(problem, policy: policy) { return .repair(repair) }
        switch problem {
        case .invalid(let reason): return .leaveAlone(reason: reason.description)
        case .missing, .differs: return .leaveAlone(reason: "it differs from the row (reported, not rewritten)")
        }
    }

    /// Links the current identity file as `identity.yaml.rejected-<UTC yyyymmddThhmmssZ>`
    /// (`-2`, `-3`, ... if that name is taken) and returns the name.
    func preserveRejectedIdentity(slug: String) throws -> String {
        let base = PersonaTree.identityFileName + ".rejected-" + PersonaTree.utcStamp()
        var name = base
        var attempt = 1
        while true {
            do {
                try preserveIdentity(slug: slug, as: name)
                return name
            } catch let error as SystemError {
                guard error.errno == EEXIST, attempt < 100 else { throw error }
                attempt += 1
                name = base + "-" + String(attempt)
            }
        }
    }

    /// The current UTC time as `yyyymmddThhmmssZ`.
    static func utcStamp() -> String {
        UTCTime.now(separated: false)
    }
}
