import Foundation
import Testing
import TestSupport

/// `migrate up --layout headspace` on an empty database: the host's tables as its own
/// revision makes them, so its later revisions apply on top; `down` drops only what it made.
@Suite("the headspace layout: made on an empty database")
struct HostFreshLayoutTests: MigrationFixture {
    @Test("the tables are the host revision's, and its revisions 77a46a29dc5e, a3b8c1d2e4f5, ed3c7ae48539 apply on top")
    func hostRevisionsApply() throws {
        let database = try TestDatabase(migrated: false)
        let up = try migrate("up", database, ["--layout", "headspace"])
        #expect(up.status == 0, "\(up.stderr)")
        let connection = try database.connect()
        try connection.execute(HostSchema.organisations)
        try connection.execute(HostSchema.positions)
        try connection.execute(HostSchema.personaTypes)
        let slug = try database.query("SELECT slug || ' ' || id FROM personas WHERE name = 'Sam'").scalar ?? ""
        let id = slug.split(separator: " ").last.map(String.init) ?? "?"
        #expect(slug == "operator-sam-\(id) \(id)")
        #expect(try database.query("SELECT persona_type_id FROM personas WHERE name = 'Sam'").scalar == "3")
        // A plain insert that names neither the type, the status nor the time.
        #expect(try database.query("""
            INSERT INTO personas (name, role_id) VALUES ('Con', (SELECT id FROM roles WHERE name = 'operator'))
            RETURNING persona_type_id || ' ' || status
            """).scalar == "1 active")
    }

    @Test("without the registry's rules, the tables are exactly those of the host's revision 0462474af024")
    func sameTables() throws {
        let host = try TestDatabase(migrated: false)
        try host.execute(HostSchema.rolesAndPersonas)
        let ours = try TestDatabase(migrated: false)
        #expect(try migrate("up", ours, ["--layout", "headspace"]).status == 0)
        // 1002 reverted: what remains are 1001's tables (and its functions, and the version table).
        #expect(try migrate("down", ours).status == 0)
        let tables = ["--schema-only", "--table", "roles", "--table", "personas"]
        // The statements only: pg_dump's own "--" lines and the tables' comments (which say who made them) left out.
        let withoutComments = { (dump: String) in
            dump.split(separator: "\n").filter { !$0.hasPrefix("--") && !$0.hasPrefix("COMMENT ON TABLE") }
        }
        #expect(withoutComments(try PostgresTools.dump(ours.url, tables)) == withoutComments(try PostgresTools.dump(host.url, tables)))
    }

    @Test("the last down drops the tables it made only when they are empty and unreferenced (or --drop-data)")
    func downDropsOnlyWhatItMade() throws {
        let database = try TestDatabase(migrated: false)
        #expect(try migrate("up", database, ["--layout", "headspace"]).status == 0)
        let connection = try database.connect()
        try HostSchema.insertRole("developer", on: connection)
        try HostSchema.insertPersona("Con", role: "developer", on: connection)
        #expect(try migrate("down", database).status == 0)

        let holding = try migrate("down", database)
        #expect(holding.status == 1)
        #expect(holding.stderr.contains("reverting 1001_host_tables.sql would drop public.personas (1 row), public.roles (1 row): refused"),
                "\(holding.stderr)")
        try connection.execute(HostSchema.organisations + HostSchema.positions)
        let referenced = try migrate("down", database, ["--drop-data"])
        #expect(referenced.status == 1)
        #expect(referenced.stderr.contains("will not drop roles and personas: the tables positions reference them"))
        #expect(try database.query("SELECT count(*) FROM personas").scalar == "1")

        try connection.execute("DROP TABLE positions")
        let dropped = try migrate("down", database, ["--drop-data"])
        #expect(dropped.status == 0, "\(dropped.stderr)")
        #expect(try database.query("SELECT to_regclass('roles') IS NULL AND to_regclass('personas') IS NULL").scalar == "t")
        #expect(try database.query("SELECT to_regclass('persona_registry_schema_migrations') IS NULL").scalar == "t")
    }
}
