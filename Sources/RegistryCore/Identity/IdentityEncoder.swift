import CYAML

/// Writes the identity file of a persona: the header comment, then one flat
/// block mapping in the fixed key order, emitted by libyaml with every scalar
/// style chosen here (see `ScalarRules`).
public enum IdentityEncoder {
    /// How every version's header starts: the decoder recognises a file of ours by it.
    public static let headerMark = "# Managed by persona-registry"
    public static let header = headerMark + " from the persona table. Edit the database, not this file.\n"

    /// The scalars of a persona's identity file, in key order.
    public static func scalars(for persona: Persona) -> [(field: IdentityField, scalar: IdentityScalar)] {
        IdentityField.allCases.map { field in
            switch field {
            case .id: (field, .plain(String(persona.id)))
            case .slug: (field, string(persona.slug))
            case .name: (field, string(persona.name))
            case .role: (field, string(persona.role))
            case .status: (field, string(persona.status.rawValue))
            case .description: (field, persona.description.map(string) ?? .plain("null"))
            case .createdAt: (field, .plain(persona.createdAt))
            }
        }
    }

    /// A string value: plain when safe, else quoted.
    static func string(_ text: String) -> IdentityScalar {
        ScalarRules.isPlainSafe(text) ? .plain(text) : .quoted(text)
    }

    /// The complete file, UTF-8.
    public static func encode(_ persona: Persona) -> [UInt8] {
        Array(header.utf8) + emit(scalars(for: persona))
    }

    /// Emits one block mapping through libyaml.
    static func emit(_ pairs: [(field: IdentityField, scalar: IdentityScalar)]) -> [UInt8] {
        final class Output { var bytes: [UInt8] = [] }
        let output = Output()
        var emitter = yaml_emitter_t()
        guard yaml_emitter_initialize(&emitter) == 1 else { fatalError("libyaml: cannot initialize an emitter") }
        defer { yaml_emitter_delete(&emitter) }
        yaml_emitter_set_unicode(&emitter, 1)
        yaml_emitter_set_width(&emitter, -1)
        yaml_emitter_set_break(&emitter, YAML_LN_BREAK)
        let context = Unmanaged.passUnretained(output).toOpaque()
        yaml_emitter_set_output(&emitter, { context, buffer, size in
            let output = Unmanaged<Output>.fromOpaque(context!).takeUnretainedValue()
            output.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, context)

        var event = yaml_event_t()
        func send() {
            // yaml_emitter_emit takes the event; it only fails on our own misuse or out of memory.
            guard yaml_emitter_emit(&emitter, &event) == 1 else {
                fatalError("libyaml emitter: " + (emitter.problem.map { String(cString: $0) } ?? "unknown error"))
            }
        }
        yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING); send()
        yaml_document_start_event_initialize(&event, nil, nil, nil, 1); send()
        yaml_mapping_start_event_initialize(&event, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE); send()
        for (field, scalar) in pairs {
            scalarEvent(&event, .plain(field.rawValue)); send()
            scalarEvent(&event, scalar); send()
        }
        yaml_mapping_end_event_initialize(&event); send()
        yaml_document_end_event_initialize(&event, 1); send()
        yaml_stream_end_event_initialize(&event); send()
        _ = yaml_emitter_flush(&emitter)
        withExtendedLifetime(output) {}
        return output.bytes
    }

    private static func scalarEvent(_ event: inout yaml_event_t, _ scalar: IdentityScalar) {
        var bytes = Array(scalar.text.utf8)
        bytes.append(0)
        let style: yaml_scalar_style_t
        if scalar.isPlain {
            style = YAML_PLAIN_SCALAR_STYLE
        } else if scalar.text.unicodeScalars.contains(where: ScalarRules.needsEscape) {
            style = YAML_DOUBLE_QUOTED_SCALAR_STYLE
        } else {
            style = YAML_SINGLE_QUOTED_SCALAR_STYLE
        }
        bytes.withUnsafeMutableBufferPointer { buffer in
            _ = yaml_scalar_event_initialize(&event, nil, nil, buffer.baseAddress, Int32(buffer.count - 1), 1, 1, style)
        }
    }
}
