/// The porcelain format: tab-separated fields, one record per line. A field
/// is written with `Escaping`'s stable notation, so it never holds a tab, a
/// line break or a terminal control.
enum Porcelain {
    static func field(_ text: String) -> String {
        Escaping.escaped(text)
    }

    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: "\t")
    }
}
