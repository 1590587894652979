import Foundation
import Testing
import TestSupport

/// `migrate up`, `down` and `status` on a host's database: additive, reversible, safe run at once.
@Suite("migrate up, down, status")
struct MigrationTests: MigrationFixture {
    /// A database standing in for the host's: unrelated tables with rows.
    static func hostDatabase() throws -> TestDatabase {
        let database = try TestDatabase(migrated: false)
        try database.execute("""
            CREATE TABLE agents (id serial PRIMARY KEY, session_uuid uuid NOT NULL, name text);
            CREATE TABLE commands (id serial PRIMARY KEY, agent_id integer REFERENCES agents(id), text text);
            CREATE TABLE turns (id serial PRIMARY KEY, command_id integer REFERENCES commands(id), body jsonb);
            CREATE TABLE events (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), kind text);
            CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
            INSERT INTO alembic_version VALUES ('a1b2c3d4e5f6');
            INSERT INTO agents (session_uuid, name)
                SELECT md5(i::text)::uuid, 'agent ' || i FROM generate_series(1, 50) i;
            INSERT INTO commands (agent_id, text) SELECT 1 + i % 50, 'run tests ' || i FROM generate_series(1, 200) i;
            INSERT INTO turns (command_id, body) SELECT 1 + i % 200, jsonb_build_object('n', i) FROM generate_series(1, 500) i;
            INSERT INTO events (kind) SELECT 'event-' || i FROM generate_series(1, 100) i;
            """)
        return database
    }

    static let hostTables = ["agents", "commands", "turns", "events", "alembic_version"]

    @Test("up, down, up leaves the host's tables and rows byte-for-byte unchanged")
    func additiveAndReversible() throws {
        let database = try Self.hostDatabase()
        let tables = Self.hostTables.flatMap { ["--table", $0] }
        let before = try PostgresTools.dump(database.url, tables)
        let schemaBefore = try PostgresTools.dump(database.url, ["--schema-only"])
        for (step, command) in ["up", "down", "up"].enumerated() {
            let run = try migrate(command, database)
            #expect(run.status == 0, "step \(step) \(command): \(run.stderr)")
            #expect(try PostgresTools.dump(database.url, tables) == before, "after step \(step) (\(command))")
        }
        #expect(try database.query("SELECT count(*) FROM persona").scalar == "0")
        #expect(try migrate("down", database).stdout == "Reverted 0003_invisible_names.sql\n")
        #expect(try migrate("down", database).stdout == "Reverted 0002_role_name_folding.sql\n")
        #expect(try migrate("down", database).stdout == "Reverted 0001_role_persona.sql\n")
        #expect(try PostgresTools.dump(database.url, ["--schema-only"]) == schemaBefore)
    }

    @Test("down to the end leaves no trace of the registry's tables, indexes, functions, triggers or sequences")
    func downLeavesNoTrace() throws {
        let database = try Self.hostDatabase()
        #expect(try migrate("up", database).status == 0)
        let invisible = try migrate("down", database)
        #expect(invisible.stdout == "Reverted 0003_invisible_names.sql\n", "\(invisible.stderr)")
        #expect(try database.query("""
            SELECT count(*) FROM pg_proc WHERE proname = 'persona_registry_has_invisible'
            UNION ALL SELECT count(*) FROM pg_constraint WHERE conname LIKE '%without_invisible'
            """).rows == [["0"], ["0"]])
        let down = try migrate("down", database)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(down.stdout == "Reverted 0002_role_name_folding.sql\n")
        #expect(try database.query("""
            SELECT count(*) FROM pg_class WHERE relname = 'role_name_folded_key'
            UNION ALL SELECT count(*) FROM pg_proc WHERE proname = 'persona_registry_renders_blank'
            UNION ALL SELECT count(*) FROM pg_constraint WHERE conname LIKE '%visible' OR conname LIKE '%bidi%' OR conname LIKE '%c1%'
            """).rows == [["0"], ["0"], ["0"]])
        let downAgain = try migrate("down", database)
        #expect(downAgain.status == 0, "\(downAgain.stderr)")
        #expect(downAgain.stdout.contains("Reverted 0001_role_persona.sql"))
        let leftovers = try database.query("""
            SELECT 'relation ' || relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND (relname LIKE 'role%' OR relname LIKE 'persona%' OR relname LIKE 'ix_persona%')
            UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE proname LIKE 'persona_registry%'
            UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgname LIKE 'persona_registry%'
            UNION ALL SELECT 'type ' || typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
              WHERE n.nspname = 'public' AND (typname LIKE '%role%' OR typname LIKE '%persona%')
            """).rows.map { $0[0]! }
        #expect(leftovers == [])
        let second = try migrate("down", database)
        #expect(second.status == 0)
        #expect(second.stdout.contains("Nothing to revert"))
    }

    @Test("status exits 2 while a migration is pending, 0 once applied, 1 when it cannot connect")
    func statusExitCodes() throws {
        let database = try TestDatabase(migrated: false)
        let pending = try migrate("status", database)
        #expect(pending.status == 2)
        #expect(pending.stdout.contains("0001_role_persona.sql       pending"))
        #expect(pending.stdout.contains("0002_role_name_folding.sql  pending"))
        #expect(try migrate("up", database).status == 0)
        let applied = try migrate("status", database)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("0001_role_persona.sql       applied"))
        #expect(applied.stdout.contains("0002_role_name_folding.sql  applied"))
        let again = try migrate("up", database)
        #expect(again.stdout.contains("Schema is up to date."))
        let unreachable = try BinaryRunner.run(["migrate", "status", "--database-url", "postgresql://nobody:secret@127.0.0.1:1/none"])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("cannot connect to PostgreSQL"))
        #expect(!unreachable.stderr.contains("secret"))
    }

    @Test("concurrent migrate up from several processes applies each migration once")
    func concurrentUp() throws {
        let database = try TestDatabase(migrated: false)
        let results = try (0..<4).map { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Repository.binary)
            process.arguments = ["migrate", "up", "--database-url", database.url]
            process.environment = BinaryRunner.childEnvironment(adding: [:])
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }.map { process in
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(results == [0, 0, 0, 0])
        #expect(try database.query("SELECT count(*) FROM persona_registry_schema_migrations").scalar == "3")
        #expect(try database.query("SELECT count(*) FROM pg_trigger WHERE tgname = 'persona_registry_slug'").scalar == "1")
    }
}
