import Foundation
import Glibc
import Testing

/// `persona add` says what is true about the new persona's directory.
@Suite("persona add and the persona's directory")
struct PersonaAddDirectoryTests {
    let database: TestDatabase
    let tree: TempTree

    init() throws {
        database = try TestDatabase()
        tree = try TempTree()
        try database.execute("INSERT INTO role (name) VALUES ('developer')")
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
        let daemon = try DaemonProcess(database: database, tree: tree)
        try #require(daemon.waitForLog("sweep finished"), "\(daemon.log)")
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
        let missing = try TempTree(createTree: false)
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
}
