import Foundation
import Testing
import TestSupport

/// The tree under faults: its root removed while serving, a full file system.
@Suite("serve: the tree removed, the disk full")
struct DaemonTreeFaultTests: DaemonFixture {
    @Test("the tree root removed while serving: made again with its lock, swept, and a second serve still refused")
    func rootRemoved() throws {
        let (database, tree, daemon, slug) = try Self.startedWithPersona(role: "pm", name: "Gavin")
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Gone', 1)")
        #expect(waitUntil { tree.exists("pm-gone-2/identity.yaml") }, "\(daemon.log)")
        try database.execute("UPDATE persona SET status = 'archived' WHERE id = 2")
        // The archive written first, so the removal does not meet that write's temporary file.
        #expect(waitUntil { (try? tree.read("pm-gone-2/identity.yaml"))?.contains("status: archived\n") == true },
                "\(daemon.log)")
        // Like `rm -rf`, removeItem deletes a directory's files, then the directory; while the
        // root is still there the daemon repairs a persona's deleted files (policy=repair, after
        // the 20 ms debounce), and the directory's rmdir then fails with ENOTEMPTY (which
        // Foundation reports as "Operation not permitted"). The root goes last, so after a
        // failure it is still there: remove again until it is gone.
        #expect(waitUntil { (try? FileManager.default.removeItem(atPath: tree.tree)) != nil }, "\(daemon.log)")
        #expect(daemon.waitFor(.treeLost), "\(daemon.log)")
        #expect(waitUntil { tree.exists(slug + "/identity.yaml") && tree.exists(slug + "/skill.md") }, "\(daemon.log)")
        #expect(waitUntil { daemon.lines(.sweepFinished, with: "policy=repair").count >= 2 }, "\(daemon.log)")
        #expect(tree.exists(".persona-registry.lock"))
        // Only active personas get a directory made for them.
        #expect(!tree.exists("pm-gone-2"))
        // The daemon serves the new root: a new persona's directory appears in it.
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Later', 1)")
        #expect(waitUntil { tree.exists("pm-later-3/identity.yaml") }, "\(daemon.log)")
        // It holds the lock on the live path: a second daemon on it is refused.
        let second = try Self.refused(database, tree)
        #expect(second.log.contains("cannot lock the tree"), "\(second.log)")
        #expect(daemon.process.isRunning, "\(daemon.log)")
    }

    @Test("the tree's parent removed: said loudly, retried with backoff, made again once the parent is back")
    func parentRemoved() throws {
        let (database, tree, daemon, slug) = try Self.startedWithPersona(role: "pm", name: "Gavin")
        let saved = tree.base + "/templates-copy"
        try FileManager.default.copyItem(atPath: tree.templates, toPath: saved)
        try FileManager.default.removeItem(atPath: tree.data)
        #expect(daemon.waitFor(.treeRemakeFailed), "\(daemon.log)")
        // Never the parents: the place is gone, and that is for a person to decide.
        #expect(!FileManager.default.fileExists(atPath: tree.data))
        try FileManager.default.createDirectory(atPath: tree.data, withIntermediateDirectories: false)
        try FileManager.default.moveItem(atPath: saved, toPath: tree.templates)
        #expect(waitUntil { tree.exists(slug + "/identity.yaml") }, "\(daemon.log)")
        #expect(tree.exists(".persona-registry.lock"))
        #expect(daemon.process.isRunning, "\(daemon.log)")
        withExtendedLifetime(database) {}
    }

    @Test("the tree's parent moved away and back: the daemon keeps its own lock and goes on serving")
    func parentMovedAwayAndBack() throws {
        let (database, tree, daemon, slug) = try Self.startedWithPersona(role: "pm", name: "Gavin")
        let moved = tree.base + "/moved"
        try FileManager.default.moveItem(atPath: tree.data, toPath: moved)
        #expect(daemon.waitFor(.treeRemakeFailed), "\(daemon.log)")
        try FileManager.default.removeItem(atPath: moved + "/personas/" + slug)
        // Back under its path: the lock file there is the one the daemon holds (not another serve's).
        try FileManager.default.moveItem(atPath: moved, toPath: tree.data)
        #expect(daemon.waitFor(.treeRemade), "\(daemon.log)")
        #expect(waitUntil { tree.exists(slug + "/identity.yaml") }, "\(daemon.log)")
        #expect(daemon.process.isRunning, "\(daemon.log)")
        #expect(daemon.logLines(containing: "cannot lock the tree").isEmpty, "\(daemon.log)")
        withExtendedLifetime(database) {}
    }

    /// A tmpfs of `kilobytes` mounted on `path` (root only: the test fails, never skips, without it).
    final class SmallTmpfs: @unchecked Sendable {
        let path: String

        init(at path: String, kilobytes: Int) throws {
            self.path = path
            let mount = Process()
            mount.executableURL = URL(fileURLWithPath: "/bin/mount")
            mount.arguments = ["-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0755", "tmpfs", path]
            try mount.run()
            mount.waitUntilExit()
            try #require(mount.terminationStatus == 0, "mount -t tmpfs on \(path) failed: this test needs root (CI runs as root)")
        }

        deinit {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = ["-l", path]
            try? umount.run()
            umount.waitUntilExit()
        }

        /// Writes `name` until the file system is full.
        func fill(_ name: String) throws {
            let fd = open(path + "/" + name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            try #require(fd >= 0)
            defer { close(fd) }
            let chunk = [UInt8](repeating: 0, count: 4096)
            while write(fd, chunk, chunk.count) > 0 {}
            try #require(errno == ENOSPC, "filling \(path) stopped with errno \(errno)")
        }
    }

    @Test("a full disk: one log line per kind of failure, not one per persona per sweep; recovery within seconds of freeing space")
    func fullDisk() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        // The tree and its templates on a small tmpfs of their own.
        let saved = tree.base + "/templates-copy"
        try FileManager.default.copyItem(atPath: tree.templates, toPath: saved)
        let disk = try SmallTmpfs(at: tree.data, kilobytes: 1024)
        try FileManager.default.createDirectory(atPath: tree.tree, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: saved, toPath: tree.templates)
        // At debug level the retries show, and each entry's failure (at debug level only).
        let daemon = try Self.started(database, tree, arguments: ["--log-level", "debug"])
        defer { daemon.killHard() }
        try database.insertRole("developer")
        try disk.fill("filler")
        try database.execute("INSERT INTO persona (name, role_id) SELECT 'n' || g, 1 FROM generate_series(1, 40) g")
        #expect(daemon.waitFor(.failuresStarted), "\(daemon.log)")
        // A reload's repairing sweep meets the same failures: nothing more is logged for them.
        daemon.signal(SIGHUP)
        #expect(waitUntil { daemon.lines(.sweepFinished).count >= 2 }, "\(daemon.log)")
        let sweep = daemon.lines(.sweepFinished).last ?? ""
        #expect(sweep.contains("failed=40"), "\(daemon.log)")
        let kinds = daemon.lines(.failuresStarted).map { line in
            line.split(separator: " ").first { $0.hasPrefix("failure=") }.map(String.init) ?? String(line)
        }
        #expect(!kinds.isEmpty && Set(kinds).count == kinds.count, "one line per kind of failure:\n\(daemon.log)")
        #expect(daemon.lines(.entryFailed).allSatisfy { $0.contains("debug: ") }, "\(daemon.log)")
        // Retried seconds apart, not at the periodic sweep, and never logged again while it lasts.
        #expect(waitUntil { daemon.lines(.retryingRepairs).count >= 2 }, "\(daemon.log)")
        #expect(daemon.lines(.failuresStarted).count == kinds.count, "\(daemon.log)")

        try FileManager.default.removeItem(atPath: tree.data + "/filler")
        // The retries (seconds apart) bring every persona in step, long before the periodic sweep (600 s).
        #expect(waitUntil(timeout: 60) {
            (1...40).allSatisfy { tree.exists("developer-n\($0)-\($0)/identity.yaml") && tree.exists("developer-n\($0)-\($0)/skill.md") }
        }, "\(daemon.log)")
        #expect(waitUntil { daemon.lines(.failuresCleared).count == kinds.count }, "\(daemon.log)")
        // Nothing half-made is left behind (no staging directory, no temp file).
        let slugs = (1...40).map { "developer-n\($0)-\($0)" }
        #expect(waitUntil { (try? tree.entries(servedBy: daemon)) == (slugs + [".persona-registry.lock"]).sorted() }, "\((try? tree.entries()) ?? [])")
        #expect(daemon.lines(.failuresStarted).count == kinds.count, "\(daemon.log)")
        withExtendedLifetime(disk) {}
    }
}
