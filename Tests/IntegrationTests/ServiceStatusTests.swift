import Foundation
import Testing
import RegistryTree
import TestSupport

/// `status` and `reload` read the daemon's status file and the tree's lock: exit 3 with no
/// daemon, 0 with one; `reload` returns once the daemon's repairing sweep has finished.
@Suite("status and reload")
struct ServiceStatusTests: DaemonFixture {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not an object: \(text)")
    }

    @Test("status: 3 and serving false without a daemon; 0, its pid, connected and the counts with one; 3 again after it stops")
    func statusFollowsTheDaemon() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        let missing = try BinaryRunner.run(["status", "--data-dir", tree.path("nowhere"), "--format", "json"])
        #expect(missing.status == 3, "\(missing.stderr)")
        #expect(try Self.json(missing.stdout)["serving"] as? Bool == false)
        let alone = try BinaryRunner.run(["status", "--data-dir", tree.tree])
        #expect(alone.status == 3 && alone.stdout.contains("served: no"), "\(alone.stdout)\(alone.stderr)")

        let daemon = try Self.started(database, tree)
        let pid = daemon.process.processIdentifier
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Ann', 1)")
        var last = ""
        #expect(waitUntil(timeout: 10) {
            let run = try? BinaryRunner.run(["status", "--data-dir", tree.tree, "--format", "json"])
            last = run?.stdout ?? ""
            guard run?.status == 0, let object = try? Self.json(last) else { return false }
            return object["serving"] as? Bool == true && object["pid"] as? Int == Int(pid)
                && object["state"] as? String == "connected" && object["personas"] as? Int == 2
        }, "\(last)\n\(daemon.log)")
        let object = try Self.json(last)
        #expect((object["last_sweep"] as? [String: Any])?["policy"] as? String == "repair", "\(last)")
        #expect(object["findings"] as? [String: Any] != nil && object["last_error"] is NSNull, "\(last)")

        try FileManager.default.createDirectory(atPath: tree.path("stray-directory"), withIntermediateDirectories: false)
        #expect(waitUntil(timeout: 10) {
            let text = (try? BinaryRunner.run(["status", "--data-dir", tree.tree]))?.stdout ?? ""
            return text.contains("findings: 1 (1 orphan_directory)")
        }, "\(daemon.log)")
        let text = try BinaryRunner.run(["status", "--data-dir", tree.tree])
        #expect(text.status == 0 && text.stdout.contains("served: yes, by pid \(pid)") && text.stdout.contains("state: connected"), "\(text.stdout)")

        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        let after = try BinaryRunner.run(["status", "--data-dir", tree.tree, "--format", "json"])
        #expect(after.status == 3, "\(after.stdout)")
        let stopped = try Self.json(after.stdout)
        #expect(stopped["serving"] as? Bool == false && stopped["pid"] is NSNull, "\(after.stdout)")
    }

    @Test("status while PostgreSQL is unreachable: waiting_for_postgresql and the error")
    func statusWhileWaiting() throws {
        let tree = try TemporaryTree()
        let daemon = try DaemonProcess(arguments: ["serve", "--database-url", "postgresql://127.0.0.1:1/nothing?connect_timeout=2",
                                                   "--data-dir", tree.tree, "--templates-dir", tree.templates],
                                       logDirectory: tree.base)
        defer { daemon.killHard() }
        var last = ""
        #expect(waitUntil(timeout: 15) {
            last = (try? BinaryRunner.run(["status", "--data-dir", tree.tree]))?.stdout ?? ""
            return last.contains("state: waiting_for_postgresql") && last.contains("last error: ")
                && !last.contains("last error: none")
        }, "\(last)\n\(daemon.log)")
    }

    @Test("reload returns after the repairing sweep: an edited identity file is rewritten before it exits")
    func reloadWaitsForTheSweep() throws {
        let (database, tree, daemon, slug) = try Self.startedWithPersona(role: "developer", name: "Con")
        let file = slug + "/identity.yaml"
        let original = try tree.read(file)
        try tree.write(file, original.replacingOccurrences(of: "name: Con", with: "name: Someone else"))
        #expect(daemon.waitFor(.finding, with: "kind=identity_mismatch"), "\(daemon.log)")
        let reload = try BinaryRunner.run(["reload", "--data-dir", tree.tree])
        #expect(reload.status == 0, "\(reload.stdout)\(reload.stderr)")
        #expect(reload.stdout.contains("its repairing sweep finished"), "\(reload.stdout)")
        // No wait: the sweep is done when reload returns.
        #expect(try tree.read(file) == original, "\(daemon.log)")
        let drift = try BinaryRunner.run(["drift", "--database-url", database.url, "--data-dir", tree.tree])
        #expect(drift.status == 0, "\(drift.stdout)")
        #expect(daemon.lines(.reloading).count == 1)
        // --pid names the daemon where the kernel's lock table is hidden (systemd's ProcSubset=pid).
        let byPid = try BinaryRunner.run(["reload", "--data-dir", tree.tree, "--pid", "\(daemon.process.processIdentifier)"])
        #expect(byPid.status == 0, "\(byPid.stderr)")
        #expect(daemon.lines(.reloading).count == 2)
    }

    @Test("reload with no daemon: exit 3 and one line")
    func reloadWithoutADaemon() throws {
        let tree = try TemporaryTree()
        let run = try BinaryRunner.run(["reload", "--data-dir", tree.tree])
        #expect(run.status == 3)
        #expect(run.stderr == "error: no daemon serves \(tree.tree) (none holds its lock)\n", "\(run.stderr)")
    }
}

/// What `status` makes of a tree whose files are hostile or whose lock is a reconcile's.
@Suite("status: hostile status files, a reconcile's lock")
struct ServiceStatusHostileTests {
    @Test("a FIFO at the status file's name is no status (state unknown, exit 0); a reconcile's lock is not a daemon (exit 3)")
    func hostileStatusFile() throws {
        let tree = try TemporaryTree()
        let root = try PersonaTree(path: tree.tree, create: false)
        #expect(mkfifo(tree.path(".persona-registry.status"), 0o644) == 0)
        do {
            let lock = try TreeLock(rootDescriptor: root.rootDescriptor, treePath: tree.tree, as: .daemon)
            let run = try BinaryRunner.run(["status", "--data-dir", tree.tree])
            #expect(run.status == 0 && run.stdout.contains("served: yes, by pid \(getpid())") && run.stdout.contains("state: unknown"),
                    "\(run.stdout)\(run.stderr)")
            _ = lock
        }
        do {
            let lock = try TreeLock(rootDescriptor: root.rootDescriptor, treePath: tree.tree, as: .reconcile)
            let run = try BinaryRunner.run(["status", "--data-dir", tree.tree, "--format", "json"])
            #expect(run.status == 3 && run.stdout.contains(#""state": "reconciling""#), "\(run.stdout)\(run.stderr)")
            // A second reconcile does not take the first for a daemon to signal: it cannot lock, one line.
            let second = try BinaryRunner.run(["reconcile", "--data-dir", tree.tree, "--database-url", "postgresql://127.0.0.1:1/none"])
            #expect(second.status == 1 && !second.stderr.contains("signal"), "\(second.stderr)")
            _ = lock
        }
        // The lock file is its owner's only.
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: tree.path(".persona-registry.lock"))[.posixPermissions] as? Int)
        #expect(mode == 0o600)
    }
}
