import Foundation
import Testing
import TestSupport

/// A long reconcile shows how far it got on a terminal, and nowhere else.
@Suite("reconcile's progress on a terminal")
struct ReconcileProgressTests {
    @Test("on a terminal (a pty from script(1)) a long reconcile shows its progress line; with stderr a pipe it shows none")
    func progressOnATerminal() throws {
        let database = try TestDatabase()
        try database.insertRole("developer", personasNamed: "P", count: 3_000)
        let tree = try TemporaryTree()
        let command = [Repository.binary, "reconcile", "--database-url", database.url, "--data-dir", tree.tree,
                       "--templates-dir", tree.templates, "--format", "porcelain"]
        let onTerminal = try BinaryRunner.run(["-qec", command.map { "'\($0)'" }.joined(separator: " "), "/dev/null"],
                                              executable: "/usr/bin/script")
        #expect(onTerminal.status == 0, "\(onTerminal.stderr)")
        #expect(onTerminal.stdout.contains("reconcile: ") && onTerminal.stdout.contains("entries of the tree read, 3000 personas"), "\(onTerminal.stdout)")
        try database.execute("INSERT INTO persona (name, role_id) SELECT 'Q' || g, 1 FROM generate_series(1, 3000) AS g")
        let piped = try BinaryRunner.run(Array(command.dropFirst()))
        #expect(piped.status == 0)
        #expect(piped.stderr.isEmpty, "\(piped.stderr)")
        #expect(!piped.stdout.contains("entries of the tree read"))
    }
}
