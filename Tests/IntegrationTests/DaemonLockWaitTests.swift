import Foundation
import Testing
import RegistryTree
import TestSupport

/// A daemon started while a reconcile holds the tree's lock waits for it, instead of
/// failing (and being restarted until systemd gives up); SIGTERM still ends it at once.
@Suite("serve: waiting for a reconcile's lock")
struct DaemonLockWaitTests: DaemonFixture {
    @Test("the daemon waits while a reconcile's lock is held, then serves; a second one stopped while waiting exits 0")
    func waitsForReconcile() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        let root = try PersonaTree(path: tree.tree, create: false)
        // The lock as `reconcile` takes it for its run.
        var reconcileLock: TreeLock? = try TreeLock(rootDescriptor: root.rootDescriptor, treePath: tree.tree, as: .reconcile)
        let daemon = try DaemonProcess(database: database, tree: tree)
        defer { daemon.killHard() }
        #expect(daemon.waitFor(.waitingForLock), "\(daemon.log)")
        #expect(daemon.lines(.waitingForLock).first?.contains("a persona-registry reconcile holds it") == true, "\(daemon.log)")
        let second = try DaemonProcess(database: database, tree: tree)
        defer { second.killHard() }
        #expect(second.waitFor(.waitingForLock), "\(second.log)")
        let asked = Date()
        second.signal(SIGTERM)
        #expect(second.waitForExit(timeout: 5) == 0, "\(second.log)")
        #expect(Date().timeIntervalSince(asked) < 2)
        #expect(daemon.process.isRunning && !tree.exists("developer-con-1"), "\(daemon.log)")

        withExtendedLifetime(reconcileLock) {}
        reconcileLock = nil
        #expect(daemon.waitFor(.lockTaken), "\(daemon.log)")
        #expect(daemon.waitFor(.sweepFinished), "\(daemon.log)")
        #expect(tree.exists("developer-con-1/identity.yaml"))
        // Another daemon holding the lock is still an error, not a wait.
        let third = try Self.refused(database, tree, timeout: 10)
        defer { third.killHard() }
        #expect(third.log.contains("another persona-registry serve holds it"), "\(third.log)")
    }
}
