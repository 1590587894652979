/// One finding as the daemon tracks it: stable kind (DESIGN.md's table), the
/// root entry it concerns (a slug, or another name in the tree root), and a
/// one-line detail. Two equal values are the same finding.
public struct DaemonFinding: Sendable, Hashable {
    public var kind: String
    public var subject: String
    public var detail: String

    public init(kind: String, subject: String, detail: String) {
        self.kind = kind
        self.subject = subject
        self.detail = detail
    }
}
