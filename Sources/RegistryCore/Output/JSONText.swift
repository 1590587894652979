/// Minimal JSON writing for the drift and reconcile reports, with the field order they promise.
enum JSONText {
    /// A JSON string: `Escaping`'s notation is JSON's, with `"` escaped too.
    static func string(_ text: String) -> String {
        "\"" + Escaping.escaped(text, quote: "\"") + "\""
    }

    static func object(_ pairs: [(String, String)], indent: String = "") -> String {
        if pairs.isEmpty { return "{}" }
        let inner = indent + "  "
        return "{\n" + pairs.map { inner + string($0.0) + ": " + $0.1 }.joined(separator: ",\n") + "\n" + indent + "}"
    }

    static func array(_ items: [String], indent: String = "") -> String {
        if items.isEmpty { return "[]" }
        let inner = indent + "  "
        return "[\n" + items.map { inner + $0 }.joined(separator: ",\n") + "\n" + indent + "]"
    }
}
