import Foundation
import Testing
import TestSupport

/// Migration 0003 on a database that already holds a name with a zero-width character: the row
/// stays as it is, new ones are refused, and every output shows the character escaped.
@Suite("names with invisible characters")
struct InvisibleNamesTests: MigrationFixture {
    @Test("an existing name with U+200B is kept and printed escaped in text and JSON; a new one is refused")
    func existingNameEscaped() throws {
        let database = try TestDatabase(migrated: false)
        let tree = try TemporaryTree()
        let directory = tree.base + "/before-0003"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        for name in ["0001_role_persona.sql", "0002_role_name_folding.sql"] {
            try FileManager.default.copyItem(atPath: Repository.migrations + "/" + name, toPath: directory + "/" + name)
        }
        #expect(try migrate("up", database, ["--migrations-dir", directory]).status == 0)
        try database.execute("INSERT INTO role (name) VALUES ('developer'); INSERT INTO persona (name, role_id) VALUES (E'Co\\u200Bn', 1)")
        let up = try migrate("up", database)
        #expect(up.stdout == "Applied 0003_invisible_names.sql\n", "\(up.stderr)")
        #expect(try database.query("SELECT convalidated FROM pg_constraint WHERE conname = 'persona_name_without_invisible'").scalar == "f")
        #expect(try database.query("SELECT name = E'Co\\u200Bn' FROM persona").scalar == "t")
        let refused = try BinaryRunner.run(["persona", "add", "--database-url", database.url, "--role", "developer",
                                            "--name", "Ro\u{200B}bbo", "--no-wait"])
        #expect(refused.status == 1 && refused.stderr.contains("must not contain invisible characters"), "\(refused.stderr)")

        for format in ["text", "json"] {
            let listed = try BinaryRunner.run(["persona", "list", "--database-url", database.url, "--format", format])
            #expect(listed.status == 0)
            #expect(listed.stdout.contains("Co\\u200bn"), "\(format): \(listed.stdout)")
            #expect(!listed.stdout.unicodeScalars.contains("\u{200B}"), "\(format)")
        }
        let reconciled = try BinaryRunner.run(["reconcile", "--database-url", database.url, "--data-dir", tree.tree,
                                               "--templates-dir", tree.templates])
        #expect(reconciled.status == 0, "\(reconciled.stderr)")
        // (An update of the row must fix its name first: the check holds for updated rows.)
        let identity = tree.path("developer-co-n-1/identity.yaml")
        let text = try String(contentsOfFile: identity, encoding: .utf8)
        try text.replacing("name: \"Co\\u200Bn\"", with: "name: Con").replacing("name: Co\u{200B}n", with: "name: Con")
            .write(toFile: identity, atomically: false, encoding: .utf8)
        for format in ["text", "json", "porcelain"] {
            let drift = try BinaryRunner.run(["drift", "--database-url", database.url, "--data-dir", tree.tree, "--format", format])
            #expect(drift.status == 2, "\(drift.stdout)")
            // The comparison's value is quoted and escaped once; porcelain and JSON escape that backslash again.
            #expect(drift.stdout.contains(format == "text" ? "Co\\u200bn" : "Co\\\\u200bn"), "\(format): \(drift.stdout)")
            #expect(!drift.stdout.unicodeScalars.contains("\u{200B}"), "\(format)")
        }
    }
}
