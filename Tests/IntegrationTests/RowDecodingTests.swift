import Testing
import RegistryCore
import RegistryDatabase

@Suite("rows decoded by column name")
struct RowDecodingTests {
    @Test("a SELECT list in another order decodes to the same personas and roles; a missing column is refused")
    func byName() throws {
        let database = try TestDatabase()
        try database.insertRole("developer", personas: "Con")
        let connection = try database.connect()
        let reversed = try connection.query("""
            SELECT to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at, p.description,
                   p.status, p.role_id, r.name AS role, p.name, p.slug, p.id
            FROM persona p JOIN role r ON r.id = p.role_id
            """)
        #expect(try PersonaQueries.decode(reversed) == PersonaQueries(.prd).all(on: connection))
        let roles = try connection.query("""
            SELECT 0 AS persona_count, r.created_at::text AS created_at, r.description, r.name, r.id FROM role r
            """)
        #expect(try RoleQueries.decode(roles).map(\.name) == ["developer"])
        let withoutSlug = try connection.query("SELECT p.id, p.name FROM persona p")
        #expect(throws: TableError.self) { try PersonaQueries.decode(withoutSlug) }
    }
}
