/// The one escaper for text from outside (entry names, names and descriptions
/// in the tables, file contents, server messages) on its way to a terminal, a
/// log line or a line-based format. Every output format writes such text
/// through here, so a name cannot move the cursor, recolour the terminal,
/// reorder what is shown (bidirectional controls: "Trojan Source") or break a
/// record over two lines.
///
/// The notation is stable (porcelain promises it): `\\`, `\t`, `\n`, `\r`, and
/// `\u` with four lowercase hex digits for every other character that
/// `needsEscape`; it is also valid inside a JSON string.
public enum Escaping {
    /// C0 controls, DEL, C1 controls, the line and paragraph separators, the
    /// bidirectional marks, embeddings, overrides and isolates, and every other
    /// default-ignorable code point (zero-width spaces and joiners, word joiner,
    /// BOM, soft hyphen, variation selectors, tags ...): `Co\u200bn` shows that it
    /// is not `Con`.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
        case 0..<0xAD: false
        default: scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    /// `text` with backslashes, `quote` (when given) and every character that
    /// `needsEscape` (or `also`, a format's own additions) escaped. Without
    /// `backslashes`, backslashes stay as they are: for a message whose parts
    /// may be escaped already (a quoted name), so that they are not escaped twice.
    public static func escaped(_ text: some StringProtocol, quote: Unicode.Scalar? = nil, backslashes: Bool = true,
                               also: (Unicode.Scalar) -> Bool = { _ in false }) -> String {
        if !text.unicodeScalars.contains(where: { needsEscape($0) || also($0) || ($0 == "\\" && backslashes) || $0 == quote }) {
            return String(text)
        }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\" where backslashes: out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case _ where scalar == quote:
                out += "\\"
                out.unicodeScalars.append(scalar)
            default:
                if needsEscape(scalar) || also(scalar) {
                    out += unicodeEscape(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// JSON produced elsewhere (Foundation escapes only C0 controls) with every
    /// other character that `needsEscape` (DEL and beyond) written as `\uXXXX`.
    /// Such characters can only stand inside JSON strings, where the escape
    /// means the same; a C0 character outside a string is layout and stays.
    public static func jsonSafe(_ json: String) -> String {
        func beyondC0(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 0x7F && needsEscape(scalar) }
        guard json.unicodeScalars.contains(where: beyondC0) else { return json }
        var out = ""
        for scalar in json.unicodeScalars {
            if beyondC0(scalar) { out += unicodeEscape(scalar) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// `\u` and four lowercase hex digits (`\U` and eight beyond the BMP).
    static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        if scalar.value > 0xFFFF { return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex }
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
