/// The porcelain format's field escaping: backslash, tab, newline and
/// carriage return become `\\`, `\t`, `\n`, `\r`, so every record is one line
/// of tab-separated fields.
enum Porcelain {
    static func field(_ text: String) -> String {
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: "\t")
    }
}
