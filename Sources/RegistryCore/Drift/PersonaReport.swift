/// One persona as `persona show` prints it: its row, its directory, and what drift finds
/// about that directory now.
public struct PersonaReport: Sendable, Encodable {
    public var persona: Persona
    /// The directory's path as given (the tree's path and the slug).
    public var directory: String
    public var findings: [Entry]

    /// A finding as the report shows it: its kind and its line.
    public struct Entry: Sendable, Encodable, Equatable {
        public var kind: String
        public var detail: String
    }

    public init(persona: Persona, directory: String, findings: [Finding]) {
        self.persona = persona
        self.directory = directory
        self.findings = findings.sorted(by: Finding.reportOrder).map { Entry(kind: $0.kind.rawValue, detail: $0.detail) }
    }

    /// `Field: value` lines, every value escaped to one line.
    public var text: String {
        var fields: [(String, String)] = [
            ("Slug", persona.slug), ("Name", persona.name), ("Role", persona.role), ("Status", persona.status.rawValue),
        ]
        if let type = persona.personaType { fields.append(("Type", type)) }
        fields += [("Description", persona.description ?? "-"), ("Created", persona.createdAt),
                   ("Directory", directory + (findings.isEmpty ? " (in step)" : " (\(findings.count) \(findings.count == 1 ? "finding" : "findings"))"))]
        var lines = fields.map { label, value in
            label + ":" + String(repeating: " ", count: max(1, 12 - label.count)) + Escaping.escaped(value)
        }
        lines += findings.map { "  \($0.kind): \(Escaping.escaped($0.detail))" }
        return lines.joined(separator: "\n") + "\n"
    }
}
