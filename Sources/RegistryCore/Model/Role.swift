/// A row of `role`: a specialisation such as developer, tester, pm, architect.
public struct Role: Sendable, Equatable, Encodable {
    public var id: Int
    public var name: String
    @NullWhenAbsent public var description: String?
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
}
