/// Writes the identity file of a persona: the header comment, then one flat
/// block mapping in the fixed key order, every scalar style chosen here (see
/// `ScalarRules`). The bytes are libyaml's emitter's: `DirectYAMLWriter` writes
/// them as libyaml would without making an emitter per file (the hot path of a
/// burst), and libyaml itself writes any value the direct writer leaves to it
/// (`IdentityEncoder+LibYAML`; a test holds the two to the same bytes).
public enum IdentityEncoder {
    /// How every version's header starts: the decoder recognises a file of ours by it.
    public static let headerMark = "# Managed by persona-registry"
    public static let header = headerMark + " from the persona table. Edit the database, not this file.\n"

    /// The scalars of a persona's identity file, in key order.
    public static func scalars(for persona: Persona) -> [(field: IdentityField, scalar: IdentityScalar)] {
        IdentityField.allCases.map { field in (field, scalar(field, of: persona)) }
    }

    /// The scalar of one field.
    static func scalar(_ field: IdentityField, of persona: Persona) -> IdentityScalar {
        switch field {
        case .id: .plain(String(persona.id))
        case .slug: string(persona.slug)
        case .name: string(persona.name)
        case .role: string(persona.role)
        case .status: string(persona.status.rawValue)
        case .description: persona.description.map(string) ?? .plain("null")
        case .createdAt: .plain(persona.createdAt)
        }
    }

    /// A string value: plain when safe, else quoted.
    static func string(_ text: String) -> IdentityScalar {
        ScalarRules.isPlainSafe(text) ? .plain(text) : .quoted(text)
    }

    /// The style libyaml is asked for: double quotes only where escapes are needed.
    static func requestedStyle(_ scalar: IdentityScalar) -> ScalarStyle {
        if scalar.isPlain { return .plain }
        return scalar.text.unicodeScalars.contains(where: ScalarRules.needsEscape) ? .doubleQuoted : .singleQuoted
    }

    /// The complete file, UTF-8.
    public static func encode(_ persona: Persona) -> [UInt8] {
        var writer = DirectYAMLWriter(capacity: 256)
        writer.append(contentsOf: header.utf8)
        for field in IdentityField.allCases {
            let scalar = scalar(field, of: persona)
            guard writer.appendPair(key: field.rawValue, value: scalar.text, requested: requestedStyle(scalar)) else {
                return Array(header.utf8) + emitWithLibYAML(scalars(for: persona).map {
                    (key: $0.field.rawValue, value: $0.scalar.text, style: requestedStyle($0.scalar))
                })
            }
        }
        return writer.bytes
    }
}
