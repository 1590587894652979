import CYAML

/// Parses an identity file with libyaml's event API (never its document
/// loader: aliases are never expanded). Accepted: exactly one document
/// holding one flat mapping of scalar keys to scalar values, without
/// directives, anchors, aliases or tags, no key twice, at most 256 KiB of
/// valid UTF-8, and either every known key and no other, or our header
/// comment (a file of another version: keys missing or added, so stale).
/// Anything else is an `InvalidIdentityReason`.
public enum IdentityDecoder {
    /// Identity files larger than this are `invalid_identity` and never read.
    public static let sizeCap = 256 * 1024

    public static func decode(_ bytes: [UInt8]) throws(InvalidIdentityReason) -> IdentityFields {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= IdentityDecoder.sizeCap else { throw .tooLarge(size: bytes.count) }
        if let offset = firstInvalidUTF8Offset(bytes) { throw .notUTF8(offset: offset) }
        var pairs: [(key: String, value: IdentityScalar)] = []
        try bytes.withUnsafeBufferPointer { buffer throws(InvalidIdentityReason) in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { throw .unreadable("libyaml: out of memory") }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var walker = Walker()
            while !walker.finished {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = parser.problem.map { String(cString: $0) } ?? "parse error"
                    throw .syntax(problem: problem, line: Int(parser.problem_mark.line) + 1,
                                  column: Int(parser.problem_mark.column) + 1)
                }
                defer { yaml_event_delete(&event) }
                try walker.accept(&event)
            }
            pairs = walker.pairs
        }
        var scalars: [IdentityField: IdentityScalar] = [:]
        var unknown: [UnknownIdentityKey] = []
        for (key, value) in pairs {
            if let field = IdentityField(rawValue: key) {
                scalars[field] = value
            } else {
                unknown.append(UnknownIdentityKey(key: key, value: value))
            }
        }
        let fields = IdentityFields(scalars: scalars, unknown: unknown)
        // Our own format from another version (a field added or dropped) is stale, not
        // invalid: repaired like any mismatch. Without our header, someone else wrote it.
        if !unknown.isEmpty || !fields.missingFields.isEmpty, !hasOurHeader(bytes) {
            if let first = unknown.first { throw .unknownKey(first.key) }
            throw .missingKeys(fields.missingFields.map(\.rawValue))
        }
        return fields
    }

    /// Whether the file starts with our header comment (`IdentityEncoder.headerMark`;
    /// another version may word the rest of the line differently).
    static func hasOurHeader(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: IdentityEncoder.headerMark.utf8)
    }

    /// The offset of the first byte that is not part of valid UTF-8, if any.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// A small state machine over the events of one document.
    private struct Walker {
        enum State { case stream, document, mapping, key, value, documentEnd, streamEnd, done }
        var state = State.stream
        var pairs: [(key: String, value: IdentityScalar)] = []
        var seen: Set<String> = []
        var pendingKey = ""

        var finished: Bool { state == .done }

        mutating func accept(_ event: inout yaml_event_t) throws(InvalidIdentityReason) {
            // Anchors and tags are refused wherever they appear, before any question of shape.
            switch event.type {
            case YAML_MAPPING_START_EVENT:
                if event.data.mapping_start.anchor != nil { throw .anchor }
                if event.data.mapping_start.tag != nil { throw .tag }
            case YAML_SEQUENCE_START_EVENT:
                if event.data.sequence_start.anchor != nil { throw .anchor }
                if event.data.sequence_start.tag != nil { throw .tag }
            case YAML_SCALAR_EVENT:
                if event.data.scalar.anchor != nil { throw .anchor }
                if event.data.scalar.tag != nil { throw .tag }
            default:
                break
            }
            switch (state, event.type) {
            case (.stream, YAML_STREAM_START_EVENT):
                state = .document
            case (.document, YAML_DOCUMENT_START_EVENT):
                let document = event.data.document_start
                if document.version_directive != nil || document.tag_directives.start != document.tag_directives.end {
                    throw .directive
                }
                state = .mapping
            case (.document, YAML_STREAM_END_EVENT):
                throw .noDocument
            case (.mapping, YAML_MAPPING_START_EVENT):
                let mapping = event.data.mapping_start
                if mapping.anchor != nil { throw .anchor }
                if mapping.tag != nil { throw .tag }
                state = .key
            case (.mapping, YAML_SEQUENCE_START_EVENT):
                throw .notMapping(found: "a sequence")
            case (.mapping, YAML_SCALAR_EVENT):
                throw .notMapping(found: "a single scalar")
            case (.key, YAML_SCALAR_EVENT):
                let key = try scalar(&event).text
                guard seen.insert(key).inserted else { throw .duplicateKey(key) }
                pendingKey = key
                state = .value
            case (.key, YAML_MAPPING_END_EVENT):
                state = .documentEnd
            case (.key, YAML_MAPPING_START_EVENT), (.key, YAML_SEQUENCE_START_EVENT):
                throw .nonScalarKey
            case (.value, YAML_SCALAR_EVENT):
                pairs.append((pendingKey, try scalar(&event)))
                state = .key
            case (.value, YAML_MAPPING_START_EVENT), (.value, YAML_SEQUENCE_START_EVENT):
                throw .nested(key: pendingKey)
            case (.documentEnd, YAML_DOCUMENT_END_EVENT):
                state = .streamEnd
            case (.streamEnd, YAML_STREAM_END_EVENT):
                state = .done
            case (.streamEnd, YAML_DOCUMENT_START_EVENT):
                throw .multipleDocuments
            case (_, YAML_ALIAS_EVENT):
                throw .alias
            default:
                throw .syntax(problem: "unexpected YAML structure", line: Int(event.start_mark.line) + 1,
                              column: Int(event.start_mark.column) + 1)
            }
        }

        private func scalar(_ event: inout yaml_event_t) throws(InvalidIdentityReason) -> IdentityScalar {
            let scalar = event.data.scalar
            if scalar.anchor != nil { throw .anchor }
            if scalar.tag != nil { throw .tag }
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            return IdentityScalar(text: text, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE)
        }
    }
}
