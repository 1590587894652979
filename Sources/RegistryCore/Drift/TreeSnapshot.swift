/// A persona directory as one pass over the tree found it.
public struct PersonaDirectory: Sendable, Equatable {
    public var identity: IdentityState
    /// Names matching our temp file pattern (`.identity.yaml.tmp-<pid>-<n>`): never findings,
    /// removed by sweeps and reconcile when their writer is gone.
    public var tempFiles: [String]
    /// Seed files (`SeedTemplates.seedFileNames`) with no entry of that name, in that order.
    public var missingSeeds: [String]
    /// Seed files that are symbolic links leading out of the tree, in name order.
    public var escapingSeeds: [EscapingSeed]

    public init(identity: IdentityState, tempFiles: [String] = [], missingSeeds: [String] = [],
                escapingSeeds: [EscapingSeed] = []) {
        self.identity = identity
        self.tempFiles = tempFiles
        self.missingSeeds = missingSeeds
        self.escapingSeeds = escapingSeeds
    }
}

/// A seed file that is a symbolic link whose target, resolved inside the tree
/// without following anything outside it, leaves the tree: the daemon never
/// follows it, but an agent reading its skills would.
public struct EscapingSeed: Sendable, Equatable {
    public var name: String
    /// The link's target, as written.
    public var target: String

    /// The escaping seed files of one directory, from the tree's reading of it (seed file
    /// name -> the link's target), in the order they are reported: by name.
    public static func inNameOrder(_ targets: [String: String]) -> [EscapingSeed] {
        targets.sorted { $0.key < $1.key }.map { EscapingSeed(name: $0.key, target: $0.value) }
    }
}

/// What a root entry named like a slug is.
public enum SlugEntry: Sendable, Equatable {
    case directory(PersonaDirectory)
    /// A symbolic link, file or other non-directory where a persona directory could be.
    case notDirectory(EntryType)
}

/// A root entry whose name is not a slug.
public struct StrayEntry: Sendable, Equatable {
    public var name: String
    public var type: EntryType

    // Written out for `PersonaTree` and the daemon's re-check, which make these (no public
    // memberwise initializer is synthesized).
    public init(name: String, type: EntryType) {
        self.name = name
        self.type = type
    }
}

/// One root entry as the streaming pass over the tree reads it.
public enum TreeSnapshotItem: Sendable, Equatable {
    /// An entry whose name is a valid slug.
    case slug(String, SlugEntry)
    /// Any other entry, except the registry's own.
    case stray(StrayEntry)
}

/// The tree as one streaming pass saw it: the input of the drift engine.
public struct TreeSnapshot: Sendable, Equatable {
    /// Root entries whose names are valid slugs.
    public var entries: [String: SlugEntry]
    /// Other root entries, except the registry's own (`.persona-registry*`) and `.gitkeep`.
    public var strays: [StrayEntry]

    public init(entries: [String: SlugEntry] = [:], strays: [StrayEntry] = []) {
        self.entries = entries
        self.strays = strays
    }

    /// Whether a root entry is the registry's own (its lock file) or the
    /// repository's placeholder, and so never a finding.
    public static func isOwnEntry(_ name: String) -> Bool {
        OwnEntryName.isOwn(name) || name == ".gitkeep"
    }
}
