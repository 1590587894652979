import Foundation
import Testing
import TestSupport

/// `reconcile` and a daemon on one tree: without a daemon it holds the tree's lock for its run;
/// beside one it never writes itself but asks the daemon for its repairing sweep and prints it.
@Suite("reconcile and the tree's lock")
struct ReconcileLockTests: DaemonFixture {
    @Test("alone reconcile leaves the lock free; beside a daemon the daemon repairs and reconcile prints its repairs")
    func besideADaemon() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        let arguments = ["reconcile", "--database-url", database.url, "--data-dir", tree.tree, "--templates-dir", tree.templates]
        let alone = try BinaryRunner.run(arguments)
        #expect(alone.status == 0 && alone.stderr.isEmpty, "\(alone.stderr)")
        // The lock went with the run: a daemon starts on the tree.
        let daemon = try Self.started(database, tree)
        let file = "developer-con-1/identity.yaml"
        let original = try tree.read(file)
        try #require(original.contains("name: Con\n"), "\(original)")
        // A person's edit: the daemon only reports it; its repairing sweep rewrites it.
        try tree.write(file, original.replacingOccurrences(of: "name: Con\n", with: "name: Someone else\n"))
        #expect(daemon.waitFor(.finding, with: "kind=identity_mismatch"), "\(daemon.log)")
        let beside = try BinaryRunner.run(arguments + ["--format", "porcelain"])
        #expect(beside.status == 0, "\(beside.stdout)\(beside.stderr)")
        #expect(beside.stdout == "repair\trewrite_identity\tdeveloper-con-1\trewrote identity file\t\n", "\(beside.stdout)")
        #expect(beside.stderr.contains("the daemon serving \(tree.tree) (pid \(daemon.process.processIdentifier)) made the repairs"),
                "\(beside.stderr)")
        #expect(try tree.read(file) == original)
        #expect(daemon.lines(.reloading).count == 1, "\(daemon.log)")
        // --dry-run only reads, beside a daemon too: no signal.
        let dry = try BinaryRunner.run(arguments + ["--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(daemon.lines(.reloading).count == 1, "\(daemon.log)")
        #expect(daemon.process.isRunning)
        // Stopped, its lock file stays: now reconcile holds the lock, and a daemon cannot start meanwhile.
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        let quiet = try BinaryRunner.run(arguments)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        #expect(tree.exists(".persona-registry.lock"))
    }

    @Test("the race: rows updated while reconcile runs beside a daemon leave no stale identity file")
    func updatesDuringReconcile() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personasNamed: "P", count: 3_000)
        let daemon = try Self.started(database, tree)
        let environment = ["DATABASE_URL": database.url, "PERSONA_DATA_DIR": tree.tree, "PERSONA_TEMPLATES_DIR": tree.templates]
        nonisolated(unsafe) var reconcile: RunResult?
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            reconcile = try? BinaryRunner.run(["reconcile", "--format", "json"], environment: environment)
            finished.signal()
        }
        // While the daemon's repairing sweep (the one reconcile asked for) walks the tree.
        #expect(daemon.waitFor(.reloading), "\(daemon.log)")
        try database.execute("UPDATE persona SET status = 'archived' WHERE id % 50 = 0")
        finished.wait()
        let run = try #require(reconcile)
        #expect(run.status == 0, "\(run.stderr)")
        let drift = { try BinaryRunner.run(["drift"], environment: environment) }
        #expect(waitUntil(timeout: 3) { (try? drift())?.status == 0 }, "\((try? drift())?.stdout ?? "")\n\(daemon.log)")
        #expect(try tree.read("developer-p50-50/identity.yaml").contains("status: archived"))
    }
}
