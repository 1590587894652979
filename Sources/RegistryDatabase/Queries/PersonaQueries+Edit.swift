import RegistryCore

/// A change an operator asks of a text column: left as it is, set, or cleared.
public enum FieldChange: Sendable, Equatable {
    case keep
    case set(String)
    case clear
}

extension PersonaQueries {
    /// Renames a persona and sets or clears its description (the slug stays: it names the
    /// directory, and the identity file follows the new name); `unknownSlug` when none has it.
    public func edit(slug: String, name: String?, description: FieldChange,
                     on connection: PostgresConnection) throws -> Persona {
        let (changeDescription, newDescription): (String, String?) = switch description {
        case .keep: ("f", nil)
        case .set(let text): ("t", text)
        case .clear: ("t", nil)
        }
        do {
            let result = try connection.query("""
                WITH updated AS (
                    UPDATE \(tables.persona) SET name = coalesce($2, name),
                        description = CASE WHEN $3::boolean THEN $4 ELSE description END
                    WHERE slug = $1 RETURNING *)
                SELECT \(columns) FROM updated p JOIN \(tables.role) r ON r.id = p.role_id
                """, [slug, name, changeDescription, newDescription])
            guard let persona = try Self.decode(result).first else { throw TableError.unknownSlug(slug) }
            return persona
        } catch let error as PostgresError {
            throw explain(error, name: name ?? "")
        }
    }
}

extension RoleQueries {
    /// Sets or clears a role's description (a role's name stays: it is in every slug of its
    /// personas); `unknownRole` when no role has `name`.
    public func setDescription(of name: String, to description: String?, on connection: PostgresConnection) throws -> Role {
        do {
            let result = try connection.query("""
                WITH updated AS (UPDATE \(tables.role) SET description = $2 WHERE name = $1 RETURNING *)
                SELECT \(columns) FROM updated r
                """, [name, description])
            guard let role = try Self.decode(result).first else { throw TableError.unknownRole(name) }
            return role
        } catch let error as PostgresError {
            throw explain(error, name: name)
        }
    }
}
