/// The keys of an identity file, in the fixed order they are written.
public enum IdentityField: String, Sendable, CaseIterable, Codable, Comparable {
    case id
    case slug
    case name
    case role
    case status
    case description
    case createdAt = "created_at"

    public static func < (lhs: IdentityField, rhs: IdentityField) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One scalar of an identity file: its text and whether it was written plain
/// (unquoted, so YAML resolves its type) or quoted (always a string).
public struct IdentityScalar: Sendable, Equatable, Hashable, Codable {
    public var text: String
    public var isPlain: Bool

    public init(text: String, isPlain: Bool) {
        self.text = text
        self.isPlain = isPlain
    }

    public static func plain(_ text: String) -> IdentityScalar { IdentityScalar(text: text, isPlain: true) }
    public static func quoted(_ text: String) -> IdentityScalar { IdentityScalar(text: text, isPlain: false) }
}

/// A parsed identity file of the expected shape: every key exactly once.
public struct IdentityFields: Sendable, Equatable {
    public private(set) var scalars: [IdentityField: IdentityScalar]

    /// Only the decoder makes these: every field is present.
    init(scalars: [IdentityField: IdentityScalar]) {
        self.scalars = scalars
    }

    public subscript(field: IdentityField) -> IdentityScalar { scalars[field]! }
}
