import Foundation
import Testing
import TestSupport

@Suite("reconcile without usable templates")
struct ReconcileTemplatesTests {
    @Test("a bad --templates-dir is one error line and creates no tree")
    func badTemplatesCreateNothing() throws {
        let database = try TestDatabase()
        try database.insertRole("developer", personas: "Con")
        let tree = try TemporaryTree(createTree: false)
        let target = tree.base + "/a/b/personas"
        let run = try BinaryRunner.run(["reconcile", "--database-url", database.url, "--data-dir", target,
                                        "--templates-dir", tree.base + "/no-such-templates"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("cannot read the seed templates"))
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: tree.base + "/a"))
    }

    @Test("--dry-run fails on a bad --templates-dir as the real run would")
    func dryRunValidatesTemplates() throws {
        let database = try TestDatabase()
        try database.insertRole("developer", personas: "Con")
        let tree = try TemporaryTree()
        try FileManager.default.removeItem(atPath: tree.templates + "/experience.md")
        for arguments in [["--dry-run"], []] {
            let run = try BinaryRunner.run(["reconcile", "--database-url", database.url, "--data-dir", tree.tree,
                                            "--templates-dir", tree.templates] + arguments)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.contains("cannot read the seed templates"), "\(arguments): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
        #expect(try tree.entries().isEmpty)
    }
}
