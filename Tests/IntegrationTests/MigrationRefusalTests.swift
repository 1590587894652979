import Foundation
import Testing
import TestSupport

/// `migrate` refusing what it cannot apply: changed, broken, missing or non-regular migration files.
@Suite("migrate: refusals")
struct MigrationRefusalTests: MigrationFixture {
    /// A migration whose second statement fails.
    static func writeBrokenMigration(to path: String) throws {
        try """
            -- migrate:up
            CREATE TABLE persona_registry_extra (id integer);
            SELECT no_such_function();
            -- migrate:down
            DROP TABLE persona_registry_extra;
            """.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("a migration file changed after it was applied is refused with a clear message")
    func changedChecksum() throws {
        let database = try TestDatabase(migrated: false)
        let tree = try TemporaryTree(createTree: false)
        let directory = try Self.copyOfMigrations(in: tree)
        #expect(try migrate("up", database, ["--migrations-dir", directory]).status == 0)
        let file = directory + "/0001_role_persona.sql"
        try (String(contentsOfFile: file, encoding: .utf8) + "\n-- an edit\n").write(toFile: file, atomically: true, encoding: .utf8)

        let status = try migrate("status", database, ["--migrations-dir", directory])
        #expect(status.status == 2)
        #expect(status.stdout.contains("modified"))
        for command in ["up", "down"] {
            let refused = try migrate(command, database, ["--migrations-dir", directory])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("0001_role_persona.sql was changed after it was applied"))
            #expect(refused.stderr.split(separator: "\n").count == 1)
        }
        #expect(try database.query("SELECT count(*) FROM persona_registry_schema_migrations").scalar == "3")
    }

    @Test("a migration file with broken SQL is rolled back whole and not recorded")
    func brokenMigrationRollsBack() throws {
        let database = try TestDatabase(migrated: false)
        let tree = try TemporaryTree(createTree: false)
        let directory = try Self.copyOfMigrations(in: tree)
        try Self.writeBrokenMigration(to: directory + "/0009_broken.sql")
        let run = try migrate("up", database, ["--migrations-dir", directory])
        #expect(run.status == 1)
        #expect(run.stderr.contains("no_such_function"))
        #expect(try database.query("SELECT version FROM persona_registry_schema_migrations ORDER BY 1").rows == [["0001"], ["0002"], ["0003"]])
        #expect(try database.query("SELECT to_regclass('persona_registry_extra') IS NULL").scalar == "t")
    }

    @Test("a failing first migration leaves nothing behind, not even the version table")
    func failingFirstMigrationLeavesNothing() throws {
        let database = try TestDatabase(migrated: false)
        let tree = try TemporaryTree(createTree: false)
        let directory = tree.base + "/migrations"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.writeBrokenMigration(to: directory + "/0001_broken.sql")
        let before = try PostgresTools.dump(database.url, ["--schema-only"])
        let run = try migrate("up", database, ["--migrations-dir", directory])
        #expect(run.status == 1)
        #expect(try PostgresTools.dump(database.url, ["--schema-only"]) == before)
    }

    @Test("a missing migrations directory is one clear error")
    func missingDirectory() throws {
        let database = try TestDatabase(migrated: false)
        let run = try migrate("up", database, ["--migrations-dir", "/nonexistent/migrations"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("/nonexistent/migrations"))
    }

    @Test("a FIFO among the migration files is one clear error, never a hang")
    func fifoMigrationFile() throws {
        let database = try TestDatabase(migrated: false)
        let tree = try TemporaryTree()
        let directory = try MigrationTests.copyOfMigrations(in: tree)
        try #require(mkfifo(directory + "/0003_fifo.sql", 0o644) == 0)
        // Killed at the deadline if it blocks opening the FIFO.
        let run = try DaemonProcess(arguments: ["migrate", "status", "--database-url", database.url, "--migrations-dir", directory],
                                    logDirectory: tree.base)
        #expect(run.waitForExit(timeout: 20) == 1, "\(run.log)")
        #expect(run.log.contains("0003_fifo.sql is a FIFO, not a regular file"), "\(run.log)")
    }
}
