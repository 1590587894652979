/// What happened to the identity file.
public enum IdentityOutcome: Sendable, Equatable {
    case unchanged
    case created
    /// Rewritten; `preservedAs` names the file that keeps the old, invalid bytes.
    case rewritten(preservedAs: String?)
}

/// What `materialize` did for one persona.
public struct MaterializeOutcome: Sendable, Equatable {
    public var createdDirectory = false
    /// Seed files created (existing ones are never touched).
    public var seeded: [String] = []
    public var identity: IdentityOutcome = .unchanged
    /// An archived persona without a directory: nothing was created.
    public var skippedArchived = false
    /// The entry was presumed missing (not looked up) and the new directory's rename was
    /// refused: an entry is there after all. Nothing was done; the caller looks and plans again.
    public var renameRefused = false

    public init() {}

    /// The directory was made by this call and holds just what it wrote.
    public var madeWhole: Bool { createdDirectory && identity == .created }

    /// Whether anything was written.
    public var changedSomething: Bool {
        switch identity {
        case .created, .rewritten: true
        case .unchanged: createdDirectory || !seeded.isEmpty
        }
    }
}
