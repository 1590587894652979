/// Writes one flat JSON object on one line, the form `FlatJSONObject` reads back
/// (with `unicodeEscapes`): the registry's own status and sweep files. Strings are
/// strict JSON: every character `Escaping.needsEscape` names is written as `\uXXXX`
/// (a surrogate pair beyond the BMP), so a file's line holds no control character
/// and a `cat` of it shows no invisible one.
struct FlatJSONWriter {
    private var members: [String] = []

    mutating func add(_ key: String, _ value: String?) {
        members.append(Self.string(key) + ":" + (value.map(Self.string) ?? "null"))
    }

    mutating func add(_ key: String, _ value: Int?) {
        members.append(Self.string(key) + ":" + (value.map { String($0) } ?? "null"))
    }

    mutating func add(_ key: String, _ value: Bool) {
        members.append(Self.string(key) + ":" + (value ? "true" : "false"))
    }

    var line: String { "{" + members.joined(separator: ",") + "}" }

    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                guard Escaping.needsEscape(scalar) else {
                    out.unicodeScalars.append(scalar)
                    continue
                }
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return out + "\""
    }
}
