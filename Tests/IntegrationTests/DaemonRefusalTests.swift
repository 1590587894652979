import Foundation
import Testing
import RegistryCore
import TestSupport

/// `persona-registry serve` refusing to start: the tree locked by another serve, or the schema missing.
@Suite("serve: refusals at start-up")
struct DaemonRefusalTests: DaemonFixture {
    @Test("a second serve on the same tree exits 1 naming the lock")
    func secondDaemonIsRefused() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let first = try Self.started(database, tree)
        let second = try BinaryRunner.run(["serve", "--database-url", database.url, "--data-dir", tree.tree,
                                           "--templates-dir", tree.templates])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains(".persona-registry.lock"), "\(second.stderr)")
        #expect(second.stderr.contains("another persona-registry serve holds it (pid \(first.pid))"), "\(second.stderr)")
        #expect(first.process.isRunning)
    }

    @Test("serve on a database without the schema exits 1 saying to migrate")
    func missingSchemaIsOneClearError() throws {
        let database = try TestDatabase(migrated: false)
        let tree = try TemporaryTree()
        let run = try BinaryRunner.run(["serve", "--database-url", database.url, "--data-dir", tree.tree,
                                        "--templates-dir", tree.templates])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("migrate up"), "\(run.stderr)")
        #expect(try tree.entries().filter { !$0.hasPrefix(".") }.isEmpty)
    }
}
