import Foundation
import Testing
import TestSupport

/// `migrate down` never drops rows silently: a revert that would drop a table holding rows is
/// refused in one line naming the tables and their counts; `--dry-run` shows, `--drop-data` drops.
@Suite("migrate down: tables holding rows")
struct MigrationDownGuardTests: MigrationFixture {
    @Test("down refuses to drop tables that hold rows, --dry-run shows what it would drop, --drop-data drops")
    func guardedDown() throws {
        let database = try TestDatabase()
        try database.insertRole("developer", personas: "Con", "Ann")
        #expect(try migrate("down", database).stdout == "Reverted 0003_invisible_names.sql\n")
        #expect(try migrate("down", database).stdout == "Reverted 0002_role_name_folding.sql\n")
        let before = try PostgresTools.dump(database.url, [])

        let refused = try migrate("down", database)
        #expect(refused.status == 1)
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("reverting 0001_role_persona.sql would drop public.persona (2 rows), public.role (1 row): refused"),
                "\(refused.stderr)")
        #expect(try PostgresTools.dump(database.url, []) == before)

        let dryRun = try migrate("down", database, ["--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout == "Would revert 0001_role_persona.sql, dropping public.persona (2 rows), public.role (1 row)\n")
        #expect(try PostgresTools.dump(database.url, []) == before)

        let dropped = try migrate("down", database, ["--drop-data"])
        #expect(dropped.status == 0, "\(dropped.stderr)")
        #expect(try database.query("SELECT to_regclass('persona') IS NULL AND to_regclass('role') IS NULL").scalar == "t")
    }

    @Test("a dry run of a revert that drops nothing says so")
    func dryRunDropsNothing() throws {
        let database = try TestDatabase()
        let dryRun = try migrate("down", database, ["--dry-run"])
        #expect(dryRun.stdout == "Would revert 0003_invisible_names.sql, dropping no table\n")
        #expect(try database.query("SELECT count(*) FROM persona_registry_schema_migrations").scalar == "3")
    }
}
