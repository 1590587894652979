/// A row of `role`: a specialisation such as developer, tester, pm, architect.
public struct Role: Sendable, Equatable, Codable {
    public var id: Int
    public var name: String
    public var description: String?
    /// UTC, second precision, `YYYY-MM-DDTHH:MM:SSZ`.
    public var createdAt: String
    /// Number of personas with this role (active and archived).
    public var personaCount: Int

    public init(id: Int, name: String, description: String?, createdAt: String, personaCount: Int = 0) {
        self.id = id
        self.name = name
        self.description = description
        self.createdAt = createdAt
        self.personaCount = personaCount
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description
        case createdAt = "created_at"
        case personaCount = "persona_count"
    }

    /// Encodes every field, `description` as `null` when absent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(personaCount, forKey: .personaCount)
    }
}
