/// What applying one repair action did.
public struct RepairResult: Sendable, Equatable {
    public var action: RepairAction
    /// For materializing actions.
    public var outcome: MaterializeOutcome?
    /// For temp file removal: whether the file was removed (its writer was gone).
    public var removed: Bool
    /// The error, if the action failed (the others still run).
    public var error: String?
    /// The error without the file it names (`FailureKind`), if the action failed.
    public var errorKind: String?

    /// Whether the repair wrote or removed anything (a flush of the tree is owed).
    public var changedTree: Bool { outcome?.changedSomething == true || removed }

    public init(action: RepairAction, outcome: MaterializeOutcome? = nil, removed: Bool = false, error: String? = nil,
                errorKind: String? = nil) {
        self.action = action
        self.outcome = outcome
        self.removed = removed
        self.error = error
        self.errorKind = errorKind ?? error
    }
}
