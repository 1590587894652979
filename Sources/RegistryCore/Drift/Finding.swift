/// One piece of drift, of a stable kind.
public struct Finding: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        case missingDirectory = "missing_directory"
        case orphanDirectory = "orphan_directory"
        case missingIdentity = "missing_identity"
        case identityMismatch = "identity_mismatch"
        case invalidIdentity = "invalid_identity"
        case missingSeedFile = "missing_seed_file"
        case escapingSeedFile = "escaping_seed_file"
        case unexpectedEntry = "unexpected_entry"

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }

        /// Which side is out of step with which.
        public var direction: Direction {
            switch self {
            case .missingDirectory, .missingIdentity, .missingSeedFile: .tableToTree
            case .orphanDirectory: .treeToTable
            case .identityMismatch: .both
            case .invalidIdentity, .escapingSeedFile, .unexpectedEntry: .tree
            }
        }

        /// "missing directory" / "missing directories" for summaries.
        public func phrase(count: Int) -> String {
            let one = count == 1
            switch self {
            case .missingDirectory: return one ? "missing directory" : "missing directories"
            case .orphanDirectory: return one ? "orphan directory" : "orphan directories"
            case .missingIdentity: return one ? "missing identity file" : "missing identity files"
            case .identityMismatch: return one ? "identity mismatch" : "identity mismatches"
            case .invalidIdentity: return one ? "invalid identity file" : "invalid identity files"
            case .missingSeedFile: return one ? "missing seed file" : "missing seed files"
            case .escapingSeedFile: return one ? "seed file leading out of the tree" : "seed files leading out of the tree"
            case .unexpectedEntry: return one ? "unexpected entry" : "unexpected entries"
            }
        }
    }

    public enum Direction: String, Sendable, CaseIterable {
        case tableToTree = "table -> tree"
        case treeToTable = "tree -> table"
        case both
        case tree
    }

    public var kind: Kind
    /// The slug, or for `unexpected_entry` the entry's name in the tree root.
    public var slug: String
    /// The persona concerned, when there is one.
    public var personaID: Int?
    /// One line saying what is wrong.
    public var detail: String
    /// For `identity_mismatch`: each differing field, in key order.
    public var differences: [FieldDifference] = []
    /// For `invalid_identity`: why.
    public var reason: InvalidIdentityReason?
    /// For the seed-file kinds: which seed file (`skill.md`, `experience.md`).
    public var file: String?

    /// The report's order: by slug (bytewise), then kind, then detail (the two
    /// seed files of one persona).
    public static func reportOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
        if lhs.slug != rhs.slug { return lhs.slug.precedesInByteOrder(rhs.slug) }
        if lhs.kind != rhs.kind { return lhs.kind < rhs.kind }
        return lhs.detail.precedesInByteOrder(rhs.detail)
    }
}
