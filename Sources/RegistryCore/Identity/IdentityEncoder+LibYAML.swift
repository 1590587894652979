import CYAML

/// The identity file's mapping emitted by libyaml, the reference for the bytes
/// `DirectYAMLWriter` writes: used for a value the direct writer leaves to it,
/// and by the test that compares the two.
extension IdentityEncoder {
    /// Emits one block mapping through libyaml, each value in the style asked
    /// for (libyaml may pick another, as its analysis of the value says).
    static func emitWithLibYAML(_ pairs: [(key: String, value: String, style: ScalarStyle)]) -> [UInt8] {
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
        for (key, value, style) in pairs {
            scalarEvent(&event, key, .plain); send()
            scalarEvent(&event, value, style); send()
        }
        yaml_mapping_end_event_initialize(&event); send()
        yaml_document_end_event_initialize(&event, 1); send()
        yaml_stream_end_event_initialize(&event); send()
        _ = yaml_emitter_flush(&emitter)
        withExtendedLifetime(output) {}
        return output.bytes
    }

    private static func scalarEvent(_ event: inout yaml_event_t, _ text: String, _ style: ScalarStyle) {
        var bytes = Array(text.utf8)
        bytes.append(0)
        let yamlStyle = switch style {
        case .plain: YAML_PLAIN_SCALAR_STYLE
        case .singleQuoted: YAML_SINGLE_QUOTED_SCALAR_STYLE
        case .doubleQuoted: YAML_DOUBLE_QUOTED_SCALAR_STYLE
        }
        bytes.withUnsafeMutableBufferPointer { buffer in
            _ = yaml_scalar_event_initialize(&event, nil, nil, buffer.baseAddress, Int32(buffer.count - 1), 1, 1, yamlStyle)
        }
    }
}
