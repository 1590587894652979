import Foundation
import RegistrySystem
import RegistryTree
import Testing
import TestSupport

/// Which pid a command signals (`ServingDaemon.find`): only a `persona-registry serve` holding
/// the tree's lock file open, whatever the lock table or the status file names.
@Suite("the pid a command signals")
struct ServingDaemonTests: DaemonFixture {
    @Test("a serving daemon is confirmed by its command line and its open lock file")
    func daemonConfirmed() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree)
        let found = try #require(try ServingDaemon.find(PersonaTree(path: tree.tree, create: false)))
        #expect(found.pid == daemon.pid && found.confirmed)
        let lock = try #require(FileIdentity(path: tree.path(".persona-registry.lock")))
        #expect(ProcessLiveness.isServe(daemon.pid, holding: lock))
        // The same daemon does not hold another tree's lock file.
        let other = try TemporaryTree()
        try other.write(".persona-registry.lock", "")
        #expect(!ProcessLiveness.isServe(daemon.pid, holding: try #require(FileIdentity(path: other.path(".persona-registry.lock")))))
    }

    @Test("a lock held by another program without a mark (flock(1)) is reported, never signalled")
    func unmarkedHolderNotSignalled() throws {
        let tree = try TemporaryTree()
        try tree.write(".persona-registry.lock", "")
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["--exclusive", "--no-fork", tree.path(".persona-registry.lock"), "sleep", "60"]
        try holder.run()
        // SIGKILL: the test runner's blocked signals are inherited, SIGTERM may wait in the mask.
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        try #require(waitUntil { TreeLock.isHeld(treePath: tree.tree) }, "flock(1) did not take the lock")
        let found = try #require(try ServingDaemon.find(PersonaTree(path: tree.tree, create: false)))
        #expect(found.pid == holder.processIdentifier && !found.confirmed)
        let reload = try BinaryRunner.run(["reload", "--data-dir", tree.tree, "--wait-seconds", "2"])
        #expect(reload.status == 1, "\(reload.stdout)\(reload.stderr)")
        #expect(reload.stderr.contains("pid \(holder.processIdentifier), which is not a persona-registry serve"), "\(reload.stderr)")
    }
}
