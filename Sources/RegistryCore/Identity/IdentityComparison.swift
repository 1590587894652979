/// A field whose identity-file value differs from the database's. Both values
/// are shown as YAML scalars: quoted means a string, bare means as written
/// (so `"yes"` vs `yes` shows a string against a boolean).
public struct FieldDifference: Sendable, Equatable, Hashable, Codable {
    public var field: String
    public var database: String
    public var file: String
}

/// Compares a parsed identity file with the row it projects.
public enum IdentityComparison {
    /// Shown for the side of a difference that has no such key: a file of another
    /// version lacking a key we write, or holding one we do not.
    public static let absent = "(absent)"

    /// The fields that differ in meaning (quoting a string that needs no
    /// quotes is not a difference) or that the file lacks, in key order, then
    /// the keys we do not write, in file order.
    public static func differences(_ persona: Persona, _ fields: IdentityFields) -> [FieldDifference] {
        let known = IdentityEncoder.scalars(for: persona).compactMap { field, expected -> FieldDifference? in
            guard let found = fields[field] else {
                return FieldDifference(field: field.rawValue, database: notation(expected), file: absent)
            }
            guard found != expected, ResolvedScalar(expected) != ResolvedScalar(found) else { return nil }
            return FieldDifference(field: field.rawValue, database: notation(expected), file: notation(found))
        }
        // An unknown key is text from the file: shown escaped, like a value.
        return known + fields.unknown.map { FieldDifference(field: notation(.plain($0.key)), database: absent, file: notation($0.value)) }
    }

    /// A scalar as a reader sees it: plain text bare, a quoted string in
    /// double quotes with escapes (YAML's notation, which is `Escaping`'s).
    public static func notation(_ scalar: IdentityScalar) -> String {
        let escaped = Escaping.escaped(scalar.text, quote: "\"", also: ScalarRules.needsEscape)
        if scalar.isPlain && escaped == scalar.text { return scalar.text }
        return "\"" + escaped + "\""
    }
}
