import Glibc
import RegistryCore
import RegistrySystem

extension PersonaTree {
    /// Brings one persona's directory in step with its row, as far as `mode`
    /// allows: creates the directory if missing (never for an archived
    /// persona), any missing seed file (whatever is there under a seed
    /// file's name, a symbolic link included, is never touched), then
    /// writes the identity file last, atomically. Used by the daemon and by
    /// reconcile. Throws when the slug's entry is not a directory (a symbolic
    /// link or a file is left alone) or a system call fails.
    /// A new directory appears whole (`createWhole`). `directoryCreated` is
    /// called as a directory is made, before it appears under its slug or
    /// before anything is written in it (the daemon watches it then).
    public func materialize(_ persona: Persona, templates: SeedTemplates, mode: IdentityWriteMode,
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
        for seed in templates.render(for: persona)
        where try createFileIfAbsent(seed.name, bytes: Array(seed.text.utf8), in: directory, slug: slug,
                                     inNewDirectory: outcome.createdDirectory) {
            outcome.seeded.append(seed.name)
        }
        // A directory just made holds nothing yet: no identity file to read.
        let current: IdentityState = outcome.createdDirectory ? .missing : IdentityState(readIdentity(in: directory, slug: slug))
        switch current {
        case .missing:
            try writeAtomically(expected, name: PersonaTree.identityFileName, in: directory, slug: slug)
            outcome.identity = .created
        case .valid(let fields):
            if IdentityComparison.differences(persona, fields).isEmpty { return outcome }
            guard mode != .ifMissing else {
                outcome.identity = .leftAlone(reason: "it differs from the row (reported, not rewritten)")
                return outcome
            }
            try writeAtomically(expected, name: PersonaTree.identityFileName, in: directory, slug: slug)
            outcome.identity = .rewritten(preservedAs: nil)
        case .invalid(let reason):
            if !reason.isRegularFile {
                outcome.identity = .leftAlone(reason: reason.description)
            } else if reason.isEmptyFile && mode != .ifMissing {
                try writeAtomically(expected, name: PersonaTree.identityFileName, in: directory, slug: slug)
                outcome.identity = .rewritten(preservedAs: nil)
            } else if mode == .replacing {
                let kept = try preserveRejectedIdentity(slug: slug)
                try writeAtomically(expected, name: PersonaTree.identityFileName, in: directory, slug: slug)
                outcome.identity = .rewritten(preservedAs: kept)
            } else {
                outcome.identity = .leftAlone(reason: reason.description)
            }
        }
        return outcome
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
