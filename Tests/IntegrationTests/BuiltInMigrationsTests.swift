import Foundation
import Testing
import TestSupport

/// `migrate` uses the migrations compiled into the binary; the files stay the
/// source and their checksums are the ones recorded.
@Suite("built-in migrations")
struct BuiltInMigrationsTests {
    func migrate(_ arguments: [String], _ database: TestDatabase, environment: [String: String] = [:]) throws -> RunResult {
        try BinaryRunner.run(["migrate"] + arguments + ["--database-url", database.url], environment: environment)
    }

    static func sha256(_ path: String) throws -> String {
        let run = try SpawnedCommand.run("/usr/bin/sha256sum", [path], environment: [:])
        try #require(run.status == 0, "\(run.stdout)")
        return String(run.stdout.prefix { $0 != " " })
    }

    @Test("a database migrated with the files shows nothing pending or changed, and up applies nothing")
    func migratedByFiles() throws {
        let database = try TestDatabase(migrated: false)
        let byFiles = try migrate(["up", "--migrations-dir", Repository.migrations], database)
        #expect(byFiles.status == 0, "\(byFiles.stderr)")
        let status = try migrate(["status"], database)
        #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
        #expect(!status.stdout.contains("pending") && !status.stdout.contains("modified"), "\(status.stdout)")
        let up = try migrate(["up"], database)
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stdout == "Schema is up to date.\n")
    }

    @Test("the built-in set records each file's own SHA-256, for every file of migrations/")
    func checksumsAreTheFiles() throws {
        let database = try TestDatabase(migrated: false)
        let up = try migrate(["up"], database)
        #expect(up.status == 0, "\(up.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: Repository.migrations).filter { $0.hasSuffix(".sql") }
        let recorded = try database.query("SELECT name, checksum FROM persona_registry_schema_migrations ORDER BY version").rows
        #expect(Set(recorded.map { $0[0] ?? "" }) == Set(names))
        for row in recorded {
            #expect(row[1] == (try Self.sha256(Repository.migrations + "/" + (row[0] ?? ""))), "\(row[0] ?? "")")
        }
    }

    @Test("PERSONA_REGISTRY_MIGRATIONS and --migrations-dir override the built-in set")
    func overrides() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let directory = try MigrationTests.copyOfMigrations(in: tree)
        try "-- migrate:up\nCREATE TABLE persona_registry_extra (id integer);\n-- migrate:down\nDROP TABLE persona_registry_extra;\n"
            .write(toFile: directory + "/9000_extra.sql", atomically: true, encoding: .utf8)
        #expect(try migrate(["status"], database).status == 0, "the built-in set knows no 9000")
        let fromEnvironment = try migrate(["status"], database, environment: ["PERSONA_REGISTRY_MIGRATIONS": directory])
        #expect(fromEnvironment.status == 2)
        #expect(fromEnvironment.stdout.contains("9000_extra.sql") && fromEnvironment.stdout.contains("pending"))
        let fromFlag = try migrate(["up", "--migrations-dir", directory], database)
        #expect(fromFlag.stdout == "Applied 9000_extra.sql\n", "\(fromFlag.stderr)")
    }
}
