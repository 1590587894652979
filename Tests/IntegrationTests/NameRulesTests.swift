import Foundation
import Testing
import TestSupport
import RegistryCore

/// Migration 0002's rules through the CLI, and the migration itself on a
/// database that already breaks them.
@Suite("names that cannot be told apart are refused")
struct NameRulesTests {
    func cli(_ database: TestDatabase, _ arguments: String...) throws -> RunResult {
        try BinaryRunner.run(arguments, environment: ["DATABASE_URL": database.url])
    }

    func expectOneErrorLine(_ run: RunResult, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 1, "exit status \(run.status)", sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, "stdout: \(run.stdout)", sourceLocation: sourceLocation)
        #expect(run.stderr.split(separator: "\n").count == 1, "stderr: \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(text), "stderr: \(run.stderr)", sourceLocation: sourceLocation)
    }

    @Test("role names that differ only in case, accents or punctuation are one role", arguments: ["Developer", "DEVELOPER", "Dévelopér", " developer!"])
    func caseVariantRoles(variant: String) throws {
        let database = try TestDatabase()
        #expect(try cli(database, "role", "add", "developer").status == 0)
        expectOneErrorLine(try cli(database, "role", "add", variant),
                           containing: "a role named \"developer\" already exists and \(Quoted(variant)) would give the same slug prefix, \"developer\"")
        #expect(try database.query("SELECT count(*) FROM role").scalar == "1")
    }

    @Test("names of invisible characters are blank; bidi and C1 controls are refused")
    func invisibleAndBidiNames() throws {
        let database = try TestDatabase()
        #expect(try cli(database, "role", "add", "developer").status == 0)
        for blank in ["\u{A0}", "\u{200B}\u{200D}", " \u{2060}\u{FEFF} ", "\u{3164}", "\u{E0041}"] {
            expectOneErrorLine(try cli(database, "role", "add", blank), containing: "a role name must not be blank")
            expectOneErrorLine(try cli(database, "persona", "add", "--role", "developer", "--name", blank),
                               containing: "a persona name must not be blank")
        }
        for bidi in ["a\u{202E}b", "\u{2066}x", "x\u{2069}", "\u{202A}y"] {
            expectOneErrorLine(try cli(database, "role", "add", bidi), containing: "a role name must not contain bidirectional controls")
            expectOneErrorLine(try cli(database, "persona", "add", "--role", "developer", "--name", bidi),
                               containing: "a persona name must not contain bidirectional controls")
        }
        expectOneErrorLine(try cli(database, "role", "add", "x\u{9B}31m"), containing: "a role name must not contain control characters")
        expectOneErrorLine(try cli(database, "persona", "add", "--role", "developer", "--name", "x\u{85}"),
                           containing: "a persona name must not contain control characters")
        // An invisible character inside, at the start or at the end of a visible name (0003).
        for name in ["Zo\u{200D}ë", "\u{200B}Con", "Con\u{FEFF}", "Co\u{2060}n", "Con\u{E0041}"] {
            expectOneErrorLine(try cli(database, "persona", "add", "--role", "developer", "--name", name),
                               containing: "a persona name must not contain invisible characters")
        }
        expectOneErrorLine(try cli(database, "role", "add", "dev\u{200C}eloper"), containing: "a role name must not contain invisible characters")
        #expect(try database.query("SELECT count(*) || '/' || (SELECT count(*) FROM persona) FROM role").scalar == "1/0")
    }

    @Test("migrate up on a database holding case-variant roles: one error naming them, 0002 not applied")
    func migrationRefusesExistingDuplicates() throws {
        let database = try TestDatabase(migrated: false)
        let tree = try TemporaryTree(createTree: false)
        let directory = tree.base + "/migrations"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repository.migrations + "/0001_role_persona.sql", toPath: directory + "/0001_role_persona.sql")
        #expect(try cli(database, "migrate", "up", "--migrations-dir", directory).status == 0)
        try database.execute("""
            INSERT INTO role (name) VALUES ('developer'), ('tester'), ('Developer'), ('DEVELOPER'), (E'\\u00a0\\u200b');
            INSERT INTO persona (name, role_id) VALUES (E'Con\\u202e', 1);
            """)
        let schemaBefore = try PostgresTools.dump(database.url, ["--schema-only"])

        let refused = try cli(database, "migrate", "up")
        expectOneErrorLine(refused, containing: """
            persona-registry 0002 cannot be applied: role names that give the same slug prefix: \
            "developer" (id 1), "Developer" (id 3), "DEVELOPER" (id 4) fold to developer
            """)
        #expect(refused.stderr.contains("role names that render blank, id 5"))
        #expect(refused.stderr.contains("persona names with bidirectional or C1 controls, id 1"))
        #expect(!refused.stderr.unicodeScalars.contains("\u{202E}"))
        #expect(try PostgresTools.dump(database.url, ["--schema-only"]) == schemaBefore)
        #expect(try database.query("SELECT string_agg(version, ',') FROM persona_registry_schema_migrations").scalar == "0001")

        try database.execute("""
            UPDATE role SET name = 'developer-' || id WHERE id IN (3, 4);
            UPDATE role SET name = 'pm' WHERE id = 5;
            UPDATE persona SET name = 'Con' WHERE id = 1;
            """)
        let applied = try cli(database, "migrate", "up")
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout == "Applied 0002_role_name_folding.sql\nApplied 0003_invisible_names.sql\n")
    }
}
