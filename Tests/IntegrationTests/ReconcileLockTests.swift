import Foundation
import Testing
import TestSupport

/// `reconcile` and a daemon on one tree: without a daemon it holds the tree's lock for its run;
/// beside one it says what it cannot promise.
@Suite("reconcile and the tree's lock")
struct ReconcileLockTests: DaemonFixture {
    @Test("beside a serving daemon reconcile says that its files may be written as read; alone it says nothing and leaves the lock free")
    func besideADaemon() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.execute("INSERT INTO role (name) VALUES ('developer'); INSERT INTO persona (name, role_id) VALUES ('Con', 1)")
        let arguments = ["reconcile", "--database-url", database.url, "--data-dir", tree.tree, "--templates-dir", tree.templates]
        let alone = try BinaryRunner.run(arguments)
        #expect(alone.status == 0 && alone.stderr.isEmpty, "\(alone.stderr)")
        // The lock went with the run: a daemon starts on the tree.
        let daemon = try Self.started(database, tree)
        let beside = try BinaryRunner.run(arguments)
        #expect(beside.status == 0, "\(beside.stderr)")
        #expect(beside.stderr.contains("note: a daemon serves \(tree.tree)"), "\(beside.stderr)")
        #expect(beside.stderr.contains("systemctl reload persona-registry"))
        #expect(daemon.process.isRunning)
        // Stopped, its lock file stays: now reconcile holds the lock, and a daemon cannot start meanwhile.
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        let quiet = try BinaryRunner.run(arguments)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        #expect(tree.exists(".persona-registry.lock"))
    }
}
