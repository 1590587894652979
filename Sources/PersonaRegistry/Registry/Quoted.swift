/// A user-supplied string shown in a one-line message: quoted, control
/// characters escaped, cut to a readable length.
public struct Quoted: CustomStringConvertible, Sendable {
    public let text: String
    public init(_ text: String) { self.text = text }

    public var description: String {
        var shown = ""
        for scalar in text.unicodeScalars.prefix(80) {
            switch scalar {
            case "\"": shown += "\\\""
            case "\\": shown += "\\\\"
            case "\n": shown += "\\n"
            case "\t": shown += "\\t"
            case "\r": shown += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    shown += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    shown.unicodeScalars.append(scalar)
                }
            }
        }
        if text.unicodeScalars.count > 80 { shown += "…" }
        return "\"" + shown + "\""
    }
}
