/// An entry the daemon could not bring in step (a write refused by a full
/// disk, a permission): retried with backoff, logged by kind (`FailureLedger`).
public struct SyncFailure: Sendable, Equatable {
    public var slug: String
    /// What went wrong, without naming the entry: the same for every entry that
    /// one cause (a full disk) stops, so the cause is logged once, not per entry.
    public var kind: String
    /// The whole message, naming the file.
    public var detail: String
}

extension SyncFailure {
    /// `slug` failed with `error`, of the kind the error says (`KindedError`) or else its whole message.
    public init(slug: String, error: any Error) {
        self.init(slug: slug, kind: FailureKind.of(error), detail: "\(error)")
    }

    /// The failure of a repair the tree reported (`nil` when it did not fail).
    public init?(_ repair: RepairResult) {
        guard let detail = repair.error else { return nil }
        self.init(slug: repair.action.slug, kind: repair.errorKind ?? detail, detail: detail)
    }
}
