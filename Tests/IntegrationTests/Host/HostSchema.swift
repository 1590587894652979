import Foundation
import RegistryDatabase

/// The Headspace host's own schema for the personas, as its Alembic revisions make it
/// (written from what those revisions do, in this project's words), and rows inserted
/// the way its ORM inserts them.
enum HostSchema {
    /// Revision 0462474af024: `roles` and `personas` (SQLAlchemy's DDL for an Integer primary
    /// key is SERIAL; the constraints get PostgreSQL's default names).
    static let rolesAndPersonas = """
        CREATE TABLE roles (
            id SERIAL NOT NULL, name VARCHAR(64) NOT NULL, description TEXT,
            created_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (id), UNIQUE (name));
        CREATE TABLE personas (
            id SERIAL NOT NULL, slug VARCHAR(128) NOT NULL, name VARCHAR(64) NOT NULL, description TEXT,
            status VARCHAR(16) NOT NULL, role_id INTEGER NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL,
            PRIMARY KEY (id), FOREIGN KEY (role_id) REFERENCES roles (id), UNIQUE (slug));
        """

    /// Revision 77a46a29dc5e: organisations, with one seeded row.
    static let organisations = """
        CREATE TABLE organisations (
            id SERIAL NOT NULL, name VARCHAR(128) NOT NULL, description TEXT, status VARCHAR(16) NOT NULL,
            created_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (id));
        INSERT INTO organisations (name, status, created_at) VALUES ('Development', 'active', NOW());
        """

    /// Revision a3b8c1d2e4f5: positions, referencing roles (ON DELETE CASCADE).
    static let positions = """
        CREATE TABLE positions (
            id SERIAL NOT NULL, org_id INTEGER NOT NULL, role_id INTEGER NOT NULL, title VARCHAR(128) NOT NULL,
            reports_to_id INTEGER, escalates_to_id INTEGER, level INTEGER NOT NULL, is_cross_cutting BOOLEAN NOT NULL,
            created_at TIMESTAMP WITH TIME ZONE NOT NULL,
            FOREIGN KEY (org_id) REFERENCES organisations (id) ON DELETE CASCADE,
            FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE,
            FOREIGN KEY (reports_to_id) REFERENCES positions (id) ON DELETE CASCADE,
            FOREIGN KEY (escalates_to_id) REFERENCES positions (id) ON DELETE CASCADE,
            PRIMARY KEY (id));
        """

    /// Revision ed3c7ae48539: persona types (four rows), `personas.persona_type_id` NOT NULL
    /// without a default (added nullable, filled with 1, then made NOT NULL), and the operator
    /// Sam (type 3) inserted by raw SQL with a temporary slug that is then fixed up.
    static let personaTypes = """
        CREATE TABLE persona_types (
            id SERIAL NOT NULL, type_key VARCHAR(16) NOT NULL, subtype VARCHAR(16) NOT NULL, PRIMARY KEY (id),
            CONSTRAINT uq_persona_type_key_subtype UNIQUE (type_key, subtype));
        INSERT INTO persona_types (id, type_key, subtype) VALUES
            (1, 'agent', 'internal'), (2, 'agent', 'external'), (3, 'person', 'internal'), (4, 'person', 'external');
        SELECT setval('persona_types_id_seq', 4);
        ALTER TABLE personas ADD COLUMN persona_type_id INTEGER;
        ALTER TABLE personas ADD CONSTRAINT fk_personas_persona_type_id
            FOREIGN KEY (persona_type_id) REFERENCES persona_types (id) ON DELETE RESTRICT;
        UPDATE personas SET persona_type_id = 1 WHERE persona_type_id IS NULL;
        ALTER TABLE personas ALTER COLUMN persona_type_id SET NOT NULL;
        INSERT INTO roles (name, description, created_at)
            SELECT 'operator', 'System operator', NOW() WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'operator');
        INSERT INTO personas (name, slug, description, status, role_id, persona_type_id, created_at)
            SELECT 'Sam', '_pending_operator', 'System operator', 'active', (SELECT id FROM roles WHERE name = 'operator'), 3, NOW()
            WHERE NOT EXISTS (SELECT 1 FROM personas p JOIN roles r ON p.role_id = r.id WHERE p.name = 'Sam' AND r.name = 'operator');
        UPDATE personas SET slug = 'operator-sam-' || id WHERE slug = '_pending_operator';
        """

    /// The host's slugify, written here as Python's reads: `lower()` (full Unicode
    /// lowercasing), every run of code points outside `[a-z0-9]` one hyphen, hyphens trimmed.
    static func slugify(_ text: String) -> String {
        let lowered = text.lowercased()
        return lowered.replacing(/[^a-z0-9]+/.matchingSemantics(.unicodeScalar), with: "-")
            .trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    /// Inserts a role as the host's ORM does (every column given).
    @discardableResult
    static func insertRole(_ name: String, on connection: PostgresConnection) throws -> Int {
        Int(try connection.query("INSERT INTO roles (name, created_at) VALUES ($1, now()) RETURNING id", [name]).scalar ?? "") ?? 0
    }

    /// Inserts a persona as the host's ORM does: a temporary `_pending_<12 hex>` slug, then in
    /// the same transaction `UPDATE personas SET slug = slugify(role)-slugify(name)-id`. With
    /// `typeID` the column `persona_type_id` is sent too (the host's revision ed3c7ae48539 ran).
    /// `beforeCommit` runs inside that transaction (the host writing files early). Returns the
    /// id and the slug the host computed.
    @discardableResult
    static func insertPersona(_ name: String, role: String, typeID: Int? = nil, on connection: PostgresConnection,
                              beforeCommit: (String) throws -> Void = { _ in }) throws -> (id: Int, slug: String) {
        let pending = "_pending_" + String(UUID().uuidString.lowercased().replacing("-", with: "").prefix(12))
        return try connection.transaction {
            let typeColumn = typeID == nil ? "" : ", persona_type_id"
            let typeValue = typeID.map { ", \($0)" } ?? ""
            let id = Int(try connection.query("""
                INSERT INTO personas (slug, name, description, status, role_id, created_at\(typeColumn))
                VALUES ($1, $2, NULL, 'active', (SELECT id FROM roles WHERE name = $3), now()\(typeValue)) RETURNING id
                """, [pending, name, role]).scalar ?? "") ?? 0
            let slug = slugify(role) + "-" + slugify(name) + "-" + String(id)
            try connection.query("UPDATE personas SET slug = $1 WHERE id = $2", [slug, String(id)])
            try beforeCommit(slug)
            return (id, slug)
        }
    }

    /// Every row of both tables, in id order, as text: what "no row changed" compares.
    static func rows(on connection: PostgresConnection) throws -> [[String?]] {
        try connection.query("SELECT 'roles', to_jsonb(r)::text FROM roles r ORDER BY id").rows
            + connection.query("SELECT 'personas', to_jsonb(p)::text FROM personas p ORDER BY id").rows
    }
}
