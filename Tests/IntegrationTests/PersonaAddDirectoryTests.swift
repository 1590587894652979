import Foundation
import Glibc
import Testing
import TestSupport

/// `persona add` says what is true about the new persona's directory.
@Suite("persona add and the persona's directory")
struct PersonaAddDirectoryTests: DaemonFixture {
    let database: TestDatabase
    let tree: TemporaryTree

    init() throws {
        database = try TestDatabase()
        tree = try TemporaryTree()
        try database.insertRole("developer")
    }

    func add(_ extra: String...) throws -> RunResult {
        try BinaryRunner.run(["persona", "add", "--role", "developer", "--name", "Con"] + extra,
                             environment: ["DATABASE_URL": database.url, "PERSONA_DATA_DIR": tree.tree])
    }

    /// Holds the tree's lock as a daemon would (one that never creates anything), until the value goes away.
    final class HeldLock {
        let fd: Int32
        init(tree: String) throws {
            fd = open(tree + "/.persona-registry.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            try #require(fd >= 0)
            try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
        }
        deinit { close(fd) }
    }

    @Test("a daemon serves the tree: the directory exists when add returns, and the output names it")
    func withDaemon() throws {
        let daemon = try Self.started(database, tree)
        defer { daemon.killHard() }   // it serves the tree until the test ends
        // A generous bound: CI is a shared machine; add returns as soon as the directory is there.
        let run = try add("--wait-seconds", "60")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "Added persona Con (developer) as developer-con-1\nDirectory: \(tree.tree)/developer-con-1\n")
        #expect(tree.exists("developer-con-1/identity.yaml"))
        #expect(tree.exists("developer-con-1/skill.md"))
        #expect(tree.exists("developer-con-1/experience.md"))
    }

    @Test("no daemon: the output says so and names reconcile; nothing is created")
    func withoutDaemon() throws {
        let run = try add()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == """
            Added persona Con (developer) as developer-con-1
            No daemon serves \(tree.tree): run `persona-registry reconcile` (or start the service) to create \(tree.tree)/developer-con-1

            """)
        #expect(try tree.entries().isEmpty)
    }

    @Test("no daemon and no tree at all: the same line, and no tree is created")
    func withoutTree() throws {
        let missing = try TemporaryTree(createTree: false)
        let run = try BinaryRunner.run(["persona", "add", "--role", "developer", "--name", "Con", "--data-dir", missing.tree],
                                       environment: ["DATABASE_URL": database.url])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("No daemon serves \(missing.tree): run `persona-registry reconcile`"), "\(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: missing.tree))
    }

    @Test("--no-wait: the lock is held, add does not wait and says the daemon creates the directory")
    func noWait() throws {
        let lock = try HeldLock(tree: tree.tree)
        let run = try add("--no-wait")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("\nNot waiting: the daemon serving \(tree.tree) creates \(tree.tree)/developer-con-1\n"),
                "\(run.stdout)")
        _ = lock
    }

    @Test("the lock is held but the directory does not appear: the output says so, exit 0")
    func timedOut() throws {
        let lock = try HeldLock(tree: tree.tree)
        let run = try add("--wait-seconds", "1")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("""
            \nThe daemon serving \(tree.tree) did not create \(tree.tree)/developer-con-1 within 1 s: \
            see its log, or run `persona-registry drift`

            """), "\(run.stdout)")
        #expect(!tree.exists("developer-con-1"))
        _ = lock
    }

    @Test("a symbolic link under the new slug to a directory with an identity file is not the persona's directory")
    func symlinkUnderTheSlug() throws {
        let elsewhere = try TemporaryTree()
        try elsewhere.write("identity.yaml", "id: 1\n")
        try #require(symlink(elsewhere.tree, tree.path("developer-con-1")) == 0)
        let run = try add()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains("Directory:"), "\(run.stdout)")
        #expect(run.stdout.contains("No daemon serves \(tree.tree)"), "\(run.stdout)")
    }

    @Test("a FIFO planted as the lock file is looked at, never opened")
    func fifoLockFile() throws {
        try #require(mkfifo(tree.path(".persona-registry.lock"), 0o644) == 0)
        let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        try #require(inotify >= 0)
        defer { close(inotify) }
        try #require(inotify_add_watch(inotify, tree.tree, UInt32(IN_OPEN)) >= 0)
        let run = try add()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("No daemon serves \(tree.tree)"), "\(run.stdout)")
        // The events of the run are queued by the time it has exited.
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(inotify, &buffer, buffer.count)
        var opened: [String] = []
        var offset = 0
        while count > 0, offset < count {
            let length = buffer.withUnsafeBytes { Int($0.load(fromByteOffset: offset + 12, as: UInt32.self)) }
            let name = buffer[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
            opened.append(String(decoding: name, as: UTF8.self))
            offset += 16 + length
        }
        #expect(opened.isEmpty, "opened in the tree: \(opened)")
    }

    @Test("the wait cannot start (no inotify instance left): the row is added, so exit 0 and one line saying so")
    func waitCannotStart() throws {
        let lock = try HeldLock(tree: tree.tree)
        // In a user namespace of its own with no inotify instance allowed: inotify_init1 fails with EMFILE.
        let run = try SpawnedCommand.run("/usr/bin/unshare", [
            "--user", "--map-root-user", "/bin/sh", "-c",
            "echo 0 > /proc/sys/user/max_inotify_instances && exec \"$0\" persona add --role developer --name Con",
            Repository.binary,
        ], environment: ["DATABASE_URL": database.url, "PERSONA_DATA_DIR": tree.tree, "PATH": "/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("Added persona Con (developer) as developer-con-1\n"), "\(run.stdout)")
        #expect(run.stdout.contains("Could not wait for \(tree.tree)/developer-con-1 ("), "\(run.stdout)")
        #expect(try database.query("SELECT count(*) FROM persona").scalar == "1")
        _ = lock
    }

    @Test("a daemon serves the tree through a symlinked path: add waits for the directory there too")
    func symlinkedTreePath() throws {
        let linked = tree.base + "/personas-link"
        try #require(symlink(tree.tree, linked) == 0)
        let daemon = try Self.startedWithBuiltInTemplates(database, tree, dataDirectory: linked)
        let run = try BinaryRunner.run(["persona", "add", "--role", "developer", "--name", "Con", "--wait-seconds", "60"],
                                       environment: ["DATABASE_URL": database.url, "PERSONA_DATA_DIR": linked])
        #expect(run.status == 0, "\(run.stderr)\n\(daemon.log)")
        #expect(run.stdout.hasSuffix("\nDirectory: \(linked)/developer-con-1\n"), "\(run.stdout)")
    }
}
