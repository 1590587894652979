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

    /// What the action does to the identity file (nil: nothing, unless the
    /// directory is missing and is made with it).
    public var identityRepair: IdentityRepair? {
        switch self {
        case .createDirectory, .writeIdentity: .write
        case .rewriteIdentity: .rewrite
        case .replaceInvalidIdentity: .replaceKeepingOld
        case .writeSeedFiles, .removeTempFile: nil
        }
    }

    /// Whether the action makes the directory (the plan saw no entry at the slug).
    public var createsDirectory: Bool {
        if case .createDirectory = self { true } else { false }
    }

    /// The seed files the action creates if missing: nil for every seed file.
    public var seedNames: [String]? {
        if case .writeSeedFiles(_, let names) = self { names } else { nil }
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
