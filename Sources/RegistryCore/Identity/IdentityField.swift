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

/// A key of an identity file that this version does not know, with its value.
public struct UnknownIdentityKey: Sendable, Equatable {
    public var key: String
    public var value: IdentityScalar
}

/// A parsed identity file: a flat mapping of scalars. A complete file holds
/// every known key and no other; a file of our own format from another
/// version (it starts with our header) may lack known keys or hold unknown
/// ones, and is then stale: it differs from its row like any mismatch.
public struct IdentityFields: Sendable, Equatable {
    public private(set) var scalars: [IdentityField: IdentityScalar]
    /// Keys this version does not know, in file order (only in a file with our header).
    public private(set) var unknown: [UnknownIdentityKey]

    /// Only the decoder makes these.
    init(scalars: [IdentityField: IdentityScalar], unknown: [UnknownIdentityKey] = []) {
        self.scalars = scalars
        self.unknown = unknown
    }

    /// The value of a known key; `nil` if this file lacks it.
    public subscript(field: IdentityField) -> IdentityScalar? { scalars[field] }

    /// Known keys this file lacks, in key order.
    public var missingFields: [IdentityField] {
        IdentityField.allCases.filter { scalars[$0] == nil }
    }
}
