/// Which strings may be written as plain YAML scalars. A string goes out plain
/// only when it reads back as that same string under YAML 1.1 (PyYAML, the
/// host's reader) and YAML 1.2 core rules; everything else is quoted. The
/// rules are deliberately conservative: quoting a string that did not need it
/// costs two characters, the reverse turns a name into a boolean or a date.
public enum ScalarRules {
    /// Whether `text` is a string however a YAML 1.1 or 1.2 reader resolves it plain.
    /// One pass over the UTF-8 bytes, through a buffer (this runs for every field of every
    /// persona in a sweep and every insert; indexing the UTF-8 view cost three times as much).
    public static func isPlainSafe(_ text: String) -> Bool {
        let safeBytes = text.utf8.withContiguousStorageIfAvailable(hasPlainSafeBytes)
            ?? Array(text.utf8).withUnsafeBufferPointer(hasPlainSafeBytes)
        return safeBytes && !resolvesToNonString(text)
    }

    /// `isPlainSafe` without the resolution: no character or pair of them that needs quotes.
    private static func hasPlainSafeBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first == space || last == space || isIndicator(first) { return false }
        for index in bytes.indices {
            let byte = bytes[index]
            let following: UInt8? = index + 1 == bytes.count ? nil : bytes[index + 1]
            switch byte {
            case 0..<0x20, 0x7F:
                return false
            case UInt8(ascii: ":"):
                // ": " starts a value; a trailing ":" makes a key.
                if following == nil || following == space { return false }
            case space:
                if following == UInt8(ascii: "#") { return false }  // " #" starts a comment
            case 0xC2, 0xE2, 0xEF:
                // C1 controls, U+2028/2029, U+FEFF, U+FFFE/FFFF: only double quotes can carry them.
                if let scalar = scalar(in: bytes, at: index), needsEscape(scalar) { return false }
            default:
                break
            }
        }
        return true
    }

    /// The scalar of the two- or three-byte sequence at `index` (a String's bytes are valid UTF-8).
    private static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Unicode.Scalar? {
        let lead = UInt32(bytes[index])
        if lead & 0xE0 == 0xC0, index + 1 < bytes.count {
            return Unicode.Scalar((lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F))
        }
        if lead & 0xF0 == 0xE0, index + 2 < bytes.count {
            return Unicode.Scalar((lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F))
        }
        return nil
    }

    private static let space = UInt8(ascii: " ")

    /// A YAML indicator character, which may not start a plain scalar: ``-?:,[]{}#&*!|>'"%@` ``.
    private static func isIndicator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"),
             UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
             UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
            true
        default:
            false
        }
    }

    /// Whether a plain scalar with this text is null, a boolean, a number, a
    /// timestamp or another non-string under YAML 1.1 or 1.2. Conservative:
    /// anything that starts like a number (after a sign) or with `.` and is made
    /// of number-ish characters counts.
    public static func resolvesToNonString(_ text: String) -> Bool {
        // Fast path: only these first characters can start a non-string plain scalar.
        guard let first = text.utf8.first else { return true }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"),
             UInt8(ascii: "~"), UInt8(ascii: "<"), UInt8(ascii: "="):
            break
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
             UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            if text.utf8.count > 5 { return false }
        default:
            return false
        }
        if isNull(text) { return true }
        let lower = text.lowercased()
        if ["y", "n", "yes", "no", "true", "false", "on", "off", "<<", "="].contains(lower) { return true }
        var body = Substring(text)
        if let first = body.first, first == "+" || first == "-" { body = body.dropFirst() }
        guard let lead = body.first else { return false }
        if lead.isASCII && (lead.isNumber || lead == ".") {
            let numberish = body.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "_.:+- \t".unicodeScalars.contains(scalar))
            }
            if numberish { return true }
        }
        return false
    }

    /// Whether a plain scalar with this text is null (`~`, `null`, empty, any case).
    public static func isNull(_ text: String) -> Bool {
        text.isEmpty || text == "~" || text.lowercased() == "null"
    }

    /// Characters that force a double-quoted scalar with escapes: C0 and C1
    /// controls (tab and newline included), DEL, line/paragraph separators, BOM.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
            || value == 0xFEFF || value == 0xFFFE || value == 0xFFFF
    }
}

/// The meaning of a scalar for comparison: quoted is always a string, plain is
/// resolved (null, a string, or something else as written).
public enum ResolvedScalar: Sendable, Equatable {
    case null
    case string(String)
    case nonString(String)

    public init(_ scalar: IdentityScalar) {
        if !scalar.isPlain {
            self = .string(scalar.text)
        } else if ScalarRules.isNull(scalar.text) {
            self = .null
        } else if ScalarRules.isPlainSafe(scalar.text) {
            self = .string(scalar.text)
        } else {
            self = .nonString(scalar.text)
        }
    }
}
