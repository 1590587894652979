/// One seed template split once into literal text and placeholders, so that
/// rendering it for each new persona is a few appends (a burst of 10,000
/// inserts renders 20,000 seed files).
package struct CompiledTemplate: Sendable, Equatable {
    enum Field: String, Sendable {
        case name, role, slug
    }

    enum Part: Sendable, Equatable {
        case text(String)
        case field(Field)
    }

    let parts: [Part]
    private let literalLength: Int

    /// `{{name}}`, `{{role}}` and `{{slug}}` become fields; anything else,
    /// such as `{{other}}` or a lone `{{`, stays literal text.
    package init(_ template: String) {
        var parts: [Part] = []
        var literal = ""
        var pieces = template.split(separator: "{{", omittingEmptySubsequences: false)[...]
        literal += pieces.removeFirst()
        for piece in pieces {
            if let close = piece.firstRange(of: "}}"), let field = Field(rawValue: String(piece[..<close.lowerBound])) {
                if !literal.isEmpty { parts.append(.text(literal)) }
                parts.append(.field(field))
                literal = String(piece[close.upperBound...])
            } else {
                literal += "{{" + piece
            }
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        self.parts = parts
        literalLength = parts.reduce(0) { total, part in
            if case .text(let text) = part { return total + text.utf8.count }
            return total
        }
    }

    /// The template with every field replaced by the persona's value, in one
    /// pass: a value that itself contains `{{role}}` stays as written.
    package func render(_ persona: Persona) -> String {
        String(decoding: renderBytes(persona), as: UTF8.self)
    }

    /// `render` as the UTF-8 bytes a seed file is written with: made straight into bytes,
    /// since the daemon writes them (a String and then its copy as bytes cost an insert
    /// twice the work).
    package func renderBytes(_ persona: Persona) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(literalLength + persona.name.utf8.count + persona.role.utf8.count + persona.slug.utf8.count)
        for part in parts {
            switch part {
            case .text(let text): output.append(contentsOf: text.utf8)
            case .field(.name): output.append(contentsOf: persona.name.utf8)
            case .field(.role): output.append(contentsOf: persona.role.utf8)
            case .field(.slug): output.append(contentsOf: persona.slug.utf8)
            }
        }
        return output
    }
}
