import RegistryCore

/// The queries on the role table of `tables`' layout.
public struct RoleQueries: Sendable {
    public let tables: Tables
    /// Named as `Role(columns:)` reads them.
    let columns: String

    public init(_ tables: Tables) {
        self.tables = tables
        columns = """
            r.id, r.name, r.description,
            to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
            (SELECT count(*) FROM \(tables.persona) p WHERE p.role_id = r.id) AS persona_count
            """
    }

    /// Inserts a role; a duplicate, blank or over-long name is a `TableError`.
    public func add(name: String, description: String?, on connection: PostgresConnection) throws -> Role {
        do {
            let result = try connection.query("""
                WITH inserted AS (INSERT INTO \(tables.role) (name, description) VALUES ($1, $2) RETURNING *)
                SELECT \(columns) FROM inserted r
                """, [name, description])
            guard let role = try Self.decode(result).first else {
                throw TableError.noRowReturned(.role)
            }
            return role
        } catch let error as PostgresError {
            if error.code == .uniqueViolation, error.constraint == foldedKey, let existing = try? sameSlugPrefix(as: name, on: connection) {
                throw TableError.sameSlugPrefix(name: name, existing: existing, prefix: tables.roleSlugPart(of: name))
            }
            throw explain(error, name: name)
        }
    }

    /// Every role, by name.
    public func all(on connection: PostgresConnection) throws -> [Role] {
        try Self.decode(connection.query("SELECT \(columns) FROM \(tables.role) r ORDER BY r.name"))
    }

    /// The unique index of migration 0002 (1002 on the host's layout): role names folded as the slug folds them.
    var foldedKey: String { tables.role + "_name_folded_key" }

    /// The existing role whose name folds to the same slug prefix as `name`.
    func sameSlugPrefix(as name: String, on connection: PostgresConnection) throws -> String? {
        try connection.query("""
            SELECT name FROM \(tables.role)
            WHERE \(tables.roleSlugPart("name")) = \(tables.roleSlugPart("$1"))
            """, [name]).scalar
    }

    package static func decode(_ result: QueryResult) throws -> [Role] {
        try result.decoded(.role, Role.init(columns:))
    }

    func explain(_ error: PostgresError, name: String) -> Error {
        switch (error.code, error.constraint) {
        case (.uniqueViolation, tables.role + "_name_key"):
            return TableError.duplicateRole(name)
        case (.uniqueViolation, foldedKey):
            return TableError.roleNamedLike(name)
        default:
            return NameChecks.explain(error, table: .role, tableName: tables.role, name: name, nameLimit: tables.roleNameLimit) ?? error
        }
    }
}
