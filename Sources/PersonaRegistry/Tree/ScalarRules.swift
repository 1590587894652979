/// Which strings may be written as plain YAML scalars. A string goes out plain
/// only when it reads back as that same string under YAML 1.1 (PyYAML, the
/// host's reader) and YAML 1.2 core rules; everything else is quoted. The
/// rules are deliberately conservative: quoting a string that did not need it
/// costs two characters, the reverse turns a name into a boolean or a date.
public enum ScalarRules {
    /// Whether `text` is a string however a YAML 1.1 or 1.2 reader resolves it plain.
    public static func isPlainSafe(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return false }
        if first == " " || last == " " { return false }
        if scalars.contains(where: needsEscape) { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        // ": " starts a value, " #" a comment; a trailing ":" is a key.
        for (index, scalar) in scalars.enumerated() {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalar == ":" && (next == nil || next == " ") { return false }
            if scalar == " " && next == "#" { return false }
        }
        if resolvesToNonString(text) { return false }
        return true
    }

    /// Whether a plain scalar with this text is null, a boolean, a number, a
    /// timestamp or another non-string under YAML 1.1 or 1.2. Conservative:
    /// anything that starts like a number (after a sign) or with `.` and is made
    /// of number-ish characters counts.
    public static func resolvesToNonString(_ text: String) -> Bool {
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
