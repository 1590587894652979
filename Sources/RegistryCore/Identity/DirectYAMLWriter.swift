/// Writes the identity file's flat block mapping the way libyaml's emitter
/// does, byte for byte, without making an emitter (its buffers were 51 KB and
/// six allocations per file, its events 40,000 instructions). It follows
/// libyaml's writers (src/emitter.c) for the settings the encoder gave it: width
/// unlimited (so no line is ever folded), unicode on, LF breaks. The one value
/// it leaves to libyaml is a single-quoted one with a line break, which libyaml
/// writes across lines; the encoder never asks for one (a break is escaped in
/// double quotes), and `IdentityEncoder` falls back to libyaml if it ever did.
struct DirectYAMLWriter {
    private(set) var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func append<S: Sequence>(contentsOf text: S) where S.Element == UInt8 {
        bytes.append(contentsOf: text)
    }

    /// Appends `key: value` and the line break after it, or returns false and
    /// appends nothing when only libyaml may write this value. `key` is one of
    /// the fixed keys, which libyaml writes plain as they are.
    mutating func appendPair(key: String, value: String, requested: ScalarStyle) -> Bool {
        var value = value
        return value.withUTF8 { buffer in
            let text = YAMLBytes(bytes: buffer)
            let emitted = text.emitted(requested: requested)
            if emitted.style == .singleQuoted && emitted.hasLineBreak { return false }
            bytes.append(contentsOf: key.utf8)
            bytes.append(UInt8(ascii: ":"))
            switch emitted.style {
            case .plain:
                // libyaml writes no space after the colon before an empty plain value.
                if !buffer.isEmpty {
                    bytes.append(UInt8(ascii: " "))
                    bytes.append(contentsOf: buffer)
                }
            case .singleQuoted:
                appendSingleQuoted(buffer)
            case .doubleQuoted:
                appendDoubleQuoted(text)
            }
            bytes.append(UInt8(ascii: "\n"))
            return true
        }
    }

    /// `yaml_emitter_write_single_quoted_scalar` on one line: only `'` is doubled.
    private mutating func appendSingleQuoted(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: " "))
        bytes.append(UInt8(ascii: "'"))
        for octet in buffer {
            if octet == UInt8(ascii: "'") { bytes.append(octet) }
            bytes.append(octet)
        }
        bytes.append(UInt8(ascii: "'"))
    }

    /// `yaml_emitter_write_double_quoted_scalar`: what libyaml cannot print, the
    /// BOM, the line breaks, `"` and `\` escaped, each by libyaml's short escape
    /// or `\x`, `\u`, `\U` with upper-case digits; everything else as it is.
    private mutating func appendDoubleQuoted(_ text: YAMLBytes) {
        bytes.append(UInt8(ascii: " "))
        bytes.append(UInt8(ascii: "\""))
        var index = 0
        while index < text.bytes.count {
            let octet = text[index]
            let width = max(text.width(index), 1)
            if text.isPrintable(index) && !text.isBOM(index) && !text.isBreak(index)
                && octet != UInt8(ascii: "\"") && octet != UInt8(ascii: "\\") {
                bytes.append(contentsOf: text.bytes[index..<min(index + width, text.bytes.count)])
            } else {
                appendEscape(of: Self.codePoint(text, at: index, width: width))
            }
            index += width
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(of value: UInt32) {
        bytes.append(UInt8(ascii: "\\"))
        let short: Unicode.Scalar? = switch value {
        case 0x00: "0"
        case 0x07: "a"
        case 0x08: "b"
        case 0x09: "t"
        case 0x0A: "n"
        case 0x0B: "v"
        case 0x0C: "f"
        case 0x0D: "r"
        case 0x1B: "e"
        case 0x22: "\""
        case 0x5C: "\\"
        case 0x85: "N"
        case 0xA0: "_"
        case 0x2028: "L"
        case 0x2029: "P"
        default: nil
        }
        if let short {
            bytes.append(UInt8(short.value))
            return
        }
        let (letter, digits): (Unicode.Scalar, UInt32) = value <= 0xFF ? ("x", 2) : value <= 0xFFFF ? ("u", 4) : ("U", 8)
        bytes.append(UInt8(letter.value))
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            let digit = UInt8((value >> shift) & 0x0F)
            bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "A") + digit - 10)
        }
    }

    /// The code point of the UTF-8 sequence at `index`, decoded as libyaml does.
    private static func codePoint(_ text: YAMLBytes, at index: Int, width: Int) -> UInt32 {
        let lead = UInt32(text[index])
        var value = width == 1 ? lead & 0x7F : width == 2 ? lead & 0x1F : width == 3 ? lead & 0x0F : lead & 0x07
        for offset in 1..<max(width, 1) {
            value = (value << 6) + (UInt32(text[index + offset]) & 0x3F)
        }
        return value
    }
}
