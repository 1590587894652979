import Foundation
import Testing
import TestSupport

@Suite("commands on a database that was never migrated")
struct UnmigratedDatabaseTests {
    @Test("role list, persona add, persona list, drift and reconcile: one line naming migrate up, exit 1",
          arguments: [["role", "list"], ["persona", "add", "--role", "developer", "--name", "Con"],
                      ["persona", "list"], ["drift"], ["reconcile"]])
    func oneLineNamingMigrateUp(_ command: [String]) throws {
        let database = try TestDatabase(migrated: false)
        let tree = try TemporaryTree()
        let run = try BinaryRunner.run(command, environment: ["DATABASE_URL": database.url, "PERSONA_DATA_DIR": tree.tree])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty, "stdout: \(run.stdout)")
        #expect(run.stderr.split(separator: "\n").count == 1, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("the registry schema is missing"), "stderr: \(run.stderr)")
        #expect(run.stderr.contains("run `persona-registry migrate up` first"), "stderr: \(run.stderr)")
        #expect(try tree.entries().isEmpty, "nothing is written to the tree")
    }
}
