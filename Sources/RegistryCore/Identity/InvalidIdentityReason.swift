/// Why an identity file is `invalid_identity`: one precise reason.
public enum InvalidIdentityReason: Error, Sendable, Hashable, CustomStringConvertible {
    case notRegularFile(EntryType)
    case tooLarge(size: Int)
    case unreadable(String)
    case empty
    case notUTF8(offset: Int)
    case syntax(problem: String, line: Int, column: Int)
    case noDocument
    case multipleDocuments
    case directive
    case anchor
    case alias
    case tag
    case notMapping(found: String)
    case nested(key: String)
    case nonScalarKey
    case duplicateKey(String)
    case unknownKey(String)
    case missingKeys([String])

    public var description: String {
        switch self {
        case .notRegularFile(let type): "identity.yaml is a \(type.rawValue), not a regular file"
        case .tooLarge(let size): "larger than the 256 KiB cap (\(size) bytes)"
        case .unreadable(let why): "unreadable: \(why)"
        case .empty: "empty file"
        case .notUTF8(let offset): "not valid UTF-8 (byte \(offset))"
        case .syntax(let problem, let line, let column): "not valid YAML: \(problem) at line \(line), column \(column)"
        case .noDocument: "no YAML document"
        case .multipleDocuments: "more than one YAML document"
        case .directive: "YAML directives (%YAML, %TAG) are not allowed"
        case .anchor: "anchors are not allowed"
        case .alias: "aliases are not allowed"
        case .tag: "tags are not allowed"
        case .notMapping(let found): "expected a mapping of keys to values, found \(found)"
        case .nested(let key): "the value of \(Quoted(key)) is not a single scalar"
        case .nonScalarKey: "a key is not a scalar"
        case .duplicateKey(let key): "duplicate key \(Quoted(key))"
        case .unknownKey(let key): "unknown key \(Quoted(key))"
        case .missingKeys(let keys): "missing key" + (keys.count == 1 ? " " : "s ") + keys.joined(separator: ", ")
        }
    }

    /// A zero-byte file: what a power loss between create and write leaves;
    /// repair sweeps rewrite it (there is nothing a person wrote to lose).
    public var isEmptyFile: Bool { self == .empty }

    /// Whether the entry is a regular file (only those may ever be rewritten by reconcile).
    public var isRegularFile: Bool {
        if case .notRegularFile = self { return false }
        return true
    }
}
