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

    /// Whether `text` is a slug of `layout`: `isValid(_:)` for `prd`; for `headspace`, the
    /// host's rule, which keeps empty parts (`developer--5` for a name with no ASCII letter) and
    /// ends with the id: `^[a-z0-9-]*[a-z0-9]$`, at most 128 characters (its column). Either is a single, safe path
    /// component, and never a temporary `_pending_...` slug.
    public static func isValid(_ text: some StringProtocol, in layout: Layout) -> Bool {
        switch layout {
        case .prd:
            return isValid(text)
        case .headspace:
            return text.utf8.count <= hostMaximumLength && isTreeName(text)
        }
    }

    /// Whether a tree entry is named like a slug of either layout (`^[a-z0-9-]*[a-z0-9]$`, at
    /// most 200 characters), so a persona directory, never a path: the tree and the daemon,
    /// which serve both layouts, read their entries with this, and a row's slug is matched by name.
    public static func isTreeName(_ text: some StringProtocol) -> Bool {
        let bytes = text.utf8
        return !bytes.isEmpty && bytes.count <= maximumLength && bytes.allSatisfy(isSlugByte)
            && !text.hasSuffix("-")
    }

    /// `isTreeName` for a `String`, the case of every call on a hot path (each entry of a
    /// sweep, each persona of a batch): a generic function is not specialised across modules,
    /// and its unspecialised form cost 10,000 instructions a call; this one is a byte loop.
    public static func isTreeName(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let last = bytes.last, bytes.count <= maximumLength, last != UInt8(ascii: "-") else { return false }
            for byte in bytes where !isSlugByte(byte) { return false }
            return true
        }
    }

    private static func isSlugByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-")
    }

    /// The host's `personas.slug` is `varchar(128)`.
    public static let hostMaximumLength = 128

    /// The host's slugify (migrations/headspace/1001_host_tables.sql): ASCII letters
    /// lowercased (and the two capitals Python's `lower()` maps into ASCII), every run of
    /// other characters one hyphen, hyphens trimmed; no accent folding, no limit, no fallback.
    public static func hostPart(_ text: String) -> String {
        var result = ""
        var pendingHyphen = false
        for scalar in text.unicodeScalars {
            let pieces: [Unicode.Scalar] = switch scalar {
            case "\u{212A}": ["k"]
            case "\u{0130}": ["i", "\u{0307}"]
            case "A"..."Z": [Unicode.Scalar(scalar.value + 32)!]
            default: [scalar]
            }
            for piece in pieces {
                if ("a"..."z").contains(piece) || ("0"..."9").contains(piece) {
                    if pendingHyphen, !result.isEmpty { result.append("-") }
                    pendingHyphen = false
                    result.unicodeScalars.append(piece)
                } else {
                    pendingHyphen = true
                }
            }
        }
        return result
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
