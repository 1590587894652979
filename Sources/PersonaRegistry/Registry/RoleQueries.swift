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
            if error.code == .uniqueViolation, error.constraint == foldedKey, let existing = try? sameSlugPrefix(as: name, on: connection) {
                throw RegistryError("""
                    a role named \(Quoted(existing)) already exists and \(Quoted(name)) would give the same slug prefix, \
                    \(Quoted(Slug.part(name, fallback: "role", limit: Slug.roleLimit))) (role names must differ in more than case, accents and punctuation)
                    """)
            }
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

    /// The unique index of migration 0002: role names folded as the slug folds them.
    static let foldedKey = "role_name_folded_key"

    /// The existing role whose name folds to the same slug prefix as `name`.
    static func sameSlugPrefix(as name: String, on connection: PostgresConnection) throws -> String? {
        try connection.query("""
            SELECT name FROM role
            WHERE persona_registry_slug_part(name, 'role', 64) = persona_registry_slug_part($1, 'role', 64)
            """, [name]).scalar
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
        case (.uniqueViolation, foldedKey):
            return RegistryError("a role named like \(Quoted(name)) already exists (role names must differ in more than case, accents and punctuation)")
        case (.checkViolation, "role_name_not_blank"), (.checkViolation, "role_name_visible"), (.notNullViolation, _):
            return RegistryError("a role name must not be blank (spaces and invisible characters alone are blank)")
        case (.checkViolation, "role_name_no_control"), (.checkViolation, "role_name_no_c1_control"):
            return RegistryError("a role name must not contain control characters (newlines, tabs)")
        case (.checkViolation, "role_name_no_bidi_control"):
            return RegistryError("a role name must not contain bidirectional controls (U+202A-U+202E, U+2066-U+2069)")
        case (.checkViolation, "role_name_length"):
            return RegistryError("a role name is at most 64 characters (this one has \(name.unicodeScalars.count))")
        case (.checkViolation, "role_description_length"):
            return RegistryError("a role description is at most 8000 characters")
        default:
            return error
        }
    }
}
