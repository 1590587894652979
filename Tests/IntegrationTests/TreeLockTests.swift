import Foundation
import Testing
import TestSupport

/// The tree's lock file (`.persona-registry.lock`) under hostile set-ups: the
/// daemon never writes into it, so nothing outside the tree is reached through it.
@Suite("serve: the lock file")
struct TreeLockTests: DaemonFixture {
    @Test("a lock file hard-linked to a file outside the tree is refused in one line, the outside file unchanged")
    func hardLinkedLockFileIsRefused() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let outside = try TemporaryTree(createTree: false)
        let victim = outside.base + "/precious.conf"
        let contents = "setting = keep me\n"
        try contents.write(toFile: victim, atomically: false, encoding: .utf8)
        try #require(link(victim, tree.path(".persona-registry.lock")) == 0, "link: \(String(cString: strerror(errno)))")
        let run = try BinaryRunner.run(["serve", "--database-url", database.url, "--data-dir", tree.tree,
                                        "--templates-dir", tree.templates])
        #expect(run.status == 1, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains(".persona-registry.lock") && run.stderr.contains("2 hard links"), "\(run.stderr)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == contents, "the outside file was written through the lock")
        #expect(try tree.entries() == [".persona-registry.lock"], "the daemon went on after refusing the lock")
    }

    @Test("a running daemon writes nothing into its lock file; a second serve still names the holder's pid")
    func lockFileStaysEmpty() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree)
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree.path(".persona-registry.lock"))).isEmpty)
        let second = try BinaryRunner.run(["serve", "--database-url", database.url, "--data-dir", tree.tree,
                                           "--templates-dir", tree.templates])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("another persona-registry serve holds it (pid \(daemon.pid))"), "\(second.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree.path(".persona-registry.lock"))).isEmpty)
    }
}
