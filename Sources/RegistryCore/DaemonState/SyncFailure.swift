/// An entry the daemon could not bring in step (a write refused by a full
/// disk, a permission): retried with backoff, logged by kind (`FailureLedger`).
public struct SyncFailure: Sendable, Equatable {
    public var slug: String
    /// What went wrong, without naming the entry: the same for every entry that
    /// one cause (a full disk) stops, so the cause is logged once, not per entry.
    public var kind: String
    /// The whole message, naming the file.
    public var detail: String

    public init(slug: String, kind: String, detail: String) {
        self.slug = slug
        self.kind = kind
        self.detail = detail
    }
}
