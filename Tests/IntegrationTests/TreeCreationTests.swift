import Foundation
import Testing
import TestSupport

/// serve and reconcile create at most the tree directory itself, never its parents.
@Suite("only the tree directory itself is created")
struct TreeCreationTests {
    @Test("serve, reconcile and reconcile --dry-run with a tree whose parent is missing: one error line, nothing created",
          arguments: [["serve"], ["reconcile"], ["reconcile", "--dry-run"]])
    func missingParent(_ command: [String]) throws {
        let database = try TestDatabase()
        try database.insertRole("developer", personas: "Con")
        let base = try TemporaryTree(createTree: false)
        let target = base.base + "/typo/deep/personas"
        let run = try BinaryRunner.run(command + ["--database-url", database.url, "--data-dir", target])
        #expect(run.status == 1)
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        let said = command.contains("--dry-run")
            ? "the tree \(target) does not exist and a run without --dry-run could not create it: its parent directory \(base.base)/typo/deep does not exist (nothing was created)"
            : "cannot create the tree \(target): its parent directory \(base.base)/typo/deep does not exist"
        #expect(run.stderr.contains(said), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: base.base + "/typo"))
    }

    @Test("reconcile makes the tree directory when its parent exists, seeding from the built-in templates")
    func treeItself() throws {
        let database = try TestDatabase()
        try database.insertRole("developer", personas: "Con")
        let base = try TemporaryTree(createTree: false)
        let run = try BinaryRunner.run(["reconcile", "--database-url", database.url, "--data-dir", base.tree])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try base.read("developer-con-1/skill.md").contains("You are Con, the developer persona `developer-con-1`"))
    }
}
