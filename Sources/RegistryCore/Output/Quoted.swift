/// A user-supplied string shown in a one-line message: quoted, escaped as
/// `Escaping` does, cut to a readable length.
public struct Quoted: CustomStringConvertible, Sendable {
    public let text: String
    public init(_ text: String) { self.text = text }

    public var description: String {
        let shown = Escaping.escaped(Substring(text.unicodeScalars.prefix(80)), quote: "\"")
        return "\"" + shown + (text.unicodeScalars.count > 80 ? "…" : "") + "\""
    }
}
