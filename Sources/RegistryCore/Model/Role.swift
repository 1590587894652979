/// A row of `role`: a specialisation such as developer, tester, pm, architect.
public struct Role: Sendable, Equatable, Encodable {
    public var id: Int
    public var name: String
    @NullWhenAbsent public var description: String?
    /// UTC, second precision, `YYYY-MM-DDTHH:MM:SSZ`.
    public var createdAt: String
    /// Number of personas with this role (active and archived).
    public var personaCount: Int

    /// The names of the fields in `role list`'s JSON, which are the names of the
    /// columns a row is read from (`init(columns:)`).
    enum CodingKeys: String, CodingKey {
        case id, name, description
        case createdAt = "created_at"
        case personaCount = "persona_count"
    }
}

extension Role {
    /// A row as `RoleQueries` selects it, its columns found by the names in
    /// `CodingKeys` (`persona_count` 0 when not selected); `nil` when one is
    /// missing or not of its type. The one way to make a role outside this module.
    public init?(columns column: (String) -> String?) {
        func text(_ key: CodingKeys) -> String? { column(key.rawValue) }
        guard let id = text(.id).flatMap({ Int($0) }), let name = text(.name), let createdAt = text(.createdAt) else {
            return nil
        }
        self.init(id: id, name: name, description: text(.description), createdAt: createdAt,
                  personaCount: text(.personaCount).flatMap { Int($0) } ?? 0)
    }
}
