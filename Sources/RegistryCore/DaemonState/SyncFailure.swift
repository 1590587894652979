/// An entry the daemon could not bring in step (a write refused by a full
/// disk, a permission): retried with backoff, logged by kind (`FailureLedger`).
public struct SyncFailure: Sendable, Equatable {
    public var slug: String
    /// What went wrong, without naming the entry: the same for every entry that
    /// one cause (a full disk) stops, so the cause is logged once, not per entry.
    public var kind: String
    /// The whole message, naming the file.
    public var detail: String

    // Written out: the daemon (another target) makes these, and Swift synthesizes no
    // public memberwise initializer. Alike in shape to `SystemError`'s, not in what it
    // holds: that is one system call's failure, this an entry's, whatever the cause,
    // with the kind the daemon logs once and retries by.
    public init(slug: String, kind: String, detail: String) {
        self.slug = slug
        self.kind = kind
        self.detail = detail
    }
}
