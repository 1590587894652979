/// The queries on `role`.
public enum RoleQueries {
    static let columns = """
        r.id, r.name, r.description,
        to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
        (SELECT count(*) FROM persona p WHERE p.role_id = r.id) AS persona_count
        """

    /// Inserts a role; a duplicate, blank or over-long name is a `RegistryError`.
    public static func add(name: String, description: String?, on connection: PostgresConnection) throws -> Role {
        do {
            let result = try connection.query("""
                WITH inserted AS (INSERT INTO role (name, description) VALUES ($1, $2) RETURNING *)
                SELECT \(columns) FROM inserted r
                """, [name, description])
            guard let role = try decode(result).first else {
                throw RegistryError("the database returned no row for the new role")
            }
            return role
        } catch let error as PostgresError {
            throw RoleQueries.explain(error, name: name)
        }
    }

    /// Every role, by name.
    public static func all(on connection: PostgresConnection) throws -> [Role] {
        try decode(connection.query("SELECT \(columns) FROM role r ORDER BY r.name"))
    }

    /// The role with this name, if any.
    public static func named(_ name: String, on connection: PostgresConnection) throws -> Role? {
        try decode(connection.query("SELECT \(columns) FROM role r WHERE r.name = $1", [name])).first
    }

    static func decode(_ result: QueryResult) throws -> [Role] {
        try result.rows.map { row in
            guard let id = row[0].flatMap({ Int($0) }), let name = row[1], let createdAt = row[3] else {
                throw RegistryError("unexpected role row from the database: \(row)")
            }
            return Role(id: id, name: name, description: row[2], createdAt: createdAt,
                        personaCount: row[4].flatMap { Int($0) } ?? 0)
        }
    }

    static func explain(_ error: PostgresError, name: String) -> Error {
        switch (error.code, error.constraint) {
        case (.uniqueViolation, "role_name_key"):
            return RegistryError("a role named \(Quoted(name)) already exists")
        case (.checkViolation, "role_name_not_blank"), (.notNullViolation, _):
            return RegistryError("a role name must not be blank")
        case (.checkViolation, "role_name_no_control"):
            return RegistryError("a role name must not contain control characters (newlines, tabs)")
        case (.checkViolation, "role_name_length"):
            return RegistryError("a role name is at most 64 characters (this one has \(name.unicodeScalars.count))")
        case (.checkViolation, "role_description_length"):
            return RegistryError("a role description is at most 8000 characters")
        default:
            return error
        }
    }
}
