/// The slug rules, mirrored from the database's `persona_registry_slug_part`
/// (migrations/0001_role_persona.sql). The database generates every slug;
/// Swift uses these rules to predict one and to re-validate a slug before it
/// becomes a path.
public enum Slug {
    /// The longest slug the schema accepts (well under NAME_MAX).
    public static let maximumLength = 200
    package static let roleLimit = 64
    static let nameLimit = 100

    /// Whether `text` is a well-formed slug: `^[a-z0-9]+(-[a-z0-9]+)*$`, at most 200 characters.
    /// Such a string is always a single, safe path component.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        var previousWasHyphen = true
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                previousWasHyphen = false
            case UInt8(ascii: "-"):
                if previousWasHyphen { return false }
                previousWasHyphen = true
            default:
                return false
            }
        }
        return !previousWasHyphen
    }

    /// The slug the database generates for a persona.
    public static func make(role: String, name: String, id: Int) -> String {
        part(role, fallback: "role", limit: roleLimit) + "-" + part(name, fallback: "persona", limit: nameLimit) + "-" + String(id)
    }

    /// One part of a slug: accents folded, lowercased (ASCII), every run of other
    /// characters one hyphen, hyphens trimmed, cut to `limit`, `fallback` if empty.
    public static func part(_ text: String, fallback: String, limit: Int) -> String {
        var folded: [Character] = []
        var pendingHyphen = false
        for scalar in text.unicodeScalars {
            for piece in fold(scalar) {
                if piece.isASCII, piece.properties.isLowercase || ("0"..."9").contains(piece) {
                    if pendingHyphen, !folded.isEmpty { folded.append("-") }
                    pendingHyphen = false
                    folded.append(Character(piece))
                } else {
                    pendingHyphen = true
                }
            }
        }
        var result = String(folded.prefix(limit))
        while result.hasSuffix("-") { result.removeLast() }
        return result.isEmpty ? fallback : result
    }

    /// One character after folding: ASCII letters lowercased, accents removed.
    private static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if ("A"..."Z").contains(scalar) {
            return [Unicode.Scalar(scalar.value + 32)!]
        }
        if let expansion = expansions[scalar] {
            return Array(expansion.unicodeScalars)
        }
        if let index = accented.firstIndex(of: scalar) {
            return [plain[accented.distance(from: accented.startIndex, to: index)]]
        }
        return [scalar]
    }

    private static let expansions: [Unicode.Scalar: String] = [
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
        "þ": "th", "Þ": "th", "ĳ": "ij", "Ĳ": "ij",
    ]

    // The same two strings as the migration's translate() (without A-Z, handled above).
    private static let accented = Array("àÀáÁâÂãÃäÄåÅāĀăĂąĄçÇćĆĉĈċĊčČďĎđĐðÐèÈéÉêÊëËēĒĕĔėĖęĘěĚĝĜğĞġĠģĢĥĤħĦìÌíÍîÎïÏĩĨīĪĭĬįĮıĵĴķĶĺĹļĻľĽŀĿłŁñÑńŃņŅňŇòÒóÓôÔõÕöÖøØōŌŏŎőŐŕŔŗŖřŘśŚŝŜşŞšŠţŢťŤŧŦùÙúÚûÛüÜũŨūŪŭŬůŮűŰųŲŵŴýÝÿŸŷŶźŹżŻžŽİ".unicodeScalars)
    private static let plain = Array("aaaaaaaaaaaaaaaaaaccccccccccddddddeeeeeeeeeeeeeeeeeegggggggghhhhiiiiiiiiiiiiiiiiijjkkllllllllllnnnnnnnnoooooooooooooooooorrrrrrssssssssttttttuuuuuuuuuuuuuuuuuuuuwwyyyyyyzzzzzzi".unicodeScalars)
}
