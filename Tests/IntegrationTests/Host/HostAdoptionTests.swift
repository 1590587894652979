import Foundation
import Testing
import TestSupport

/// `migrate up` on a database the host's own revisions built: the rules are added to its
/// tables, no row changes, its later revisions still apply, and `down` keeps its data.
@Suite("the headspace layout: adopting the host's tables")
struct HostAdoptionTests: MigrationFixture {
    /// A database as the host's revisions 0462474af024 and ed3c7ae48539 leave it, with personas
    /// inserted the host's way.
    static func hostDatabase() throws -> TestDatabase {
        let database = try TestDatabase(migrated: false)
        let connection = try database.connect()
        try connection.execute(HostSchema.rolesAndPersonas)
        try HostSchema.insertRole("developer", on: connection)
        try HostSchema.insertPersona("Con", role: "developer", on: connection)
        try connection.execute(HostSchema.personaTypes)
        try HostSchema.insertPersona("Zoë Straße", role: "developer", typeID: 1, on: connection)
        return database
    }

    @Test("migrate up adopts the host's tables with every row unchanged; its later revisions apply; down keeps every persona")
    func adoptAndRevert() throws {
        let database = try Self.hostDatabase()
        let connection = try database.connect()
        let rows = try HostSchema.rows(on: connection)
        let schema = try PostgresTools.dump(database.url, ["--schema-only"])

        let up = try migrate("up", database)
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stdout.contains("Applied 1001_host_tables.sql") && up.stdout.contains("Applied 1002_host_rules.sql"))
        #expect(try HostSchema.rows(on: connection) == rows)
        #expect(try database.query("SELECT to_regclass('role') IS NULL AND to_regclass('persona') IS NULL").scalar == "t")
        let status = try migrate("status", database)
        #expect(status.status == 0)
        #expect(status.stdout.contains("Layout: headspace (tables roles, personas)"))

        // The host's later revisions, on the adopted tables.
        try connection.execute(HostSchema.organisations)
        try connection.execute(HostSchema.positions)
        try connection.execute("""
            INSERT INTO positions (org_id, role_id, title, level, is_cross_cutting, created_at)
            VALUES (1, (SELECT id FROM roles WHERE name = 'developer'), 'Developer', 1, false, now())
            """)

        #expect(try migrate("down", database).status == 0)
        let last = try migrate("down", database)
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stdout.contains("Reverted 1001_host_tables.sql"))
        #expect(try HostSchema.rows(on: connection) == rows)
        try connection.execute("DROP TABLE positions; DROP TABLE organisations")
        #expect(try PostgresTools.dump(database.url, ["--schema-only"]) == schema)
    }

    @Test("rows that break the rules refuse the migration, one line each, and nothing changes; --existing-rows keep keeps them")
    func existingRows() throws {
        let database = try TestDatabase(migrated: false)
        let connection = try database.connect()
        try connection.execute(HostSchema.rolesAndPersonas)
        try HostSchema.insertRole("developer", on: connection)
        try HostSchema.insertRole("Developer", on: connection)
        try connection.execute("""
            INSERT INTO personas (slug, name, status, role_id, created_at) VALUES
                ('developer-con-1', 'Con', 'active', 1, now()),
                ('developer-x-2', 'X', 'retired', 1, now()),
                ('developer-blank-3', E'\\u200B', 'active', 2, now())
            """)
        let schema = try PostgresTools.dump(database.url, [])

        let refused = try migrate("up", database)
        #expect(refused.status == 1)
        let lines = refused.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("1001_host_tables.sql cannot be applied: 3 existing rows break its rules") == true,
                "\(refused.stderr)")
        #expect(lines.contains("  personas id 2: its status \"retired\" is neither active nor archived"))
        #expect(lines.contains("  personas id 3: its name renders blank"))
        #expect(lines.contains("  roles id 2: its name slugifies to \"developer\", as role 1's does"))
        #expect(try PostgresTools.dump(database.url, []) == schema)

        let kept = try migrate("up", database, ["--existing-rows", "keep"])
        #expect(kept.status == 0, "\(kept.stderr)")
        let status = try migrate("status", database)
        #expect(status.stdout.contains("Kept row breaking a rule: personas id 2: its status \"retired\" is neither active nor archived"))
        // The rules hold for new rows.
        #expect(throws: (any Error).self) {
            try connection.execute("INSERT INTO personas (name, role_id, status) VALUES ('Y', 1, 'retired')")
        }
        #expect(throws: (any Error).self) { try HostSchema.insertRole("DEVELOPER", on: connection) }
        let tree = try TemporaryTree()
        let drift = try BinaryRunner.run(["drift", "--database-url", database.url, "--data-dir", tree.tree])
        #expect(drift.stderr.contains("kept row breaking a rule: roles id 2: its name slugifies to \"developer\", as role 1's does"))
    }

    @Test("--layout prd on the host's tables and --layout headspace on the prd layout are refused in one line")
    func layoutMismatch() throws {
        let host = try Self.hostDatabase()
        let refused = try migrate("up", host, ["--layout", "prd"])
        #expect(refused.status == 1)
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stderr.contains("the database has the headspace layout (it holds the host's tables roles and personas): --layout prd is refused"))
        #expect(try host.query("SELECT to_regclass('persona_registry_schema_migrations') IS NULL").scalar == "t")

        let prd = try TestDatabase()
        let other = try migrate("up", prd, ["--layout", "headspace"])
        #expect(other.status == 1)
        #expect(other.stderr.contains("the database has the prd layout (its migrations are the prd layout's): --layout headspace is refused"))
        #expect(try prd.query("SELECT to_regclass('roles') IS NULL").scalar == "t")
    }
}
