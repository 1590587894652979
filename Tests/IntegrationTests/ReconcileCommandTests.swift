import Foundation
import Testing
import TestSupport
import RegistryCore
import RegistryDatabase

/// `persona-registry reconcile` on a real database and tree: what it repairs, what it leaves, and run twice.
@Suite("reconcile, run as a subprocess")
struct ReconcileCommandTests: DriftFixture {
    let database: TestDatabase
    let tree: TemporaryTree

    @Test("a persona's directory has its identity file and seeds from the templates")
    func reconcileCreatesIdentityAndSeeds() throws {
        try addPersonas(["Con"])
        #expect(try cli("reconcile").status == 0)
        let persona = try #require(try PersonaQueries(.prd).all(on: database.connect()).first)
        #expect(try tree.read("developer-con-1/identity.yaml") == String(decoding: IdentityEncoder.encode(persona), as: UTF8.self))
        #expect(try tree.read("developer-con-1/skill.md").contains("You are Con, the developer persona `developer-con-1`"))
        #expect(tree.exists("developer-con-1/experience.md"))
    }

    @Test("reconcile repairs what the database owns; drift then shows only what it must not touch; twice changes nothing")
    func roundTrip() throws {
        try makeDriftOfEveryKind()
        try tree.write("developer-con-1/skill.md", "my own notes")
        try tree.write("developer-con-1/.identity.yaml.tmp-4194305-7", "half a file of a dead writer")
        let dryRun = try cli("reconcile", "--dry-run")
        #expect(dryRun.status == 2)
        #expect(dryRun.stdout.hasPrefix("Dry run: nothing was changed.\n"))
        #expect(!tree.exists("developer-ann-2"), "a dry run changes nothing")

        let first = try cli("reconcile")
        #expect(first.status == 2, "orphans and strays remain: \(first.stdout)")
        #expect(first.stdout.contains("5 repairs made; 3 findings remain"), "\(first.stdout)")
        let after = try cli("drift", "--format", "porcelain")
        #expect(after.status == 2)
        #expect(after.stdout == """
            unexpected_entry\tlink\t\t\t\tsymbolic link in the tree root
            unexpected_entry\tnotes.txt\t\t\t\tregular file in the tree root
            orphan_directory\ttester-gone-99\t\t\t\tno persona has this slug

            """)
        #expect(try tree.read("developer-con-1/skill.md") == "my own notes", "seed files are never overwritten")
        #expect(!tree.exists("developer-con-1/.identity.yaml.tmp-4194305-7"))
        #expect(!tree.exists("developer-old-4"), "no directory for an archived persona")
        let rejected = try FileManager.default.contentsOfDirectory(atPath: tree.path("developer-eve-5"))
            .filter { $0.hasPrefix("identity.yaml.rejected-") }
        #expect(rejected.count == 1)
        #expect(try tree.read("developer-eve-5/" + rejected[0]) == "a: &a [lol, lol]\nb: [*a, *a]\n", "the invalid file is kept")
        #expect(tree.exists("tester-gone-99"), "an orphan directory is never deleted")
        #expect(try tree.read("notes.txt") == "stray")

        let state = try treeState()
        let second = try cli("reconcile", "--format", "porcelain")
        #expect(second.status == 2)
        #expect(!second.stdout.contains("repair\t"), "\(second.stdout)")
        #expect(try treeState() == state, "the second reconcile changes nothing")
    }

    /// Every path under the tree with its type, contents (files) and inode + mtime.
    func treeState() throws -> [String] {
        var state: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: tree.tree)
        while let relative = enumerator?.nextObject() as? String {
            var info = stat()
            lstat(tree.path(relative), &info)
            var line = "\(relative) \(info.st_mode) \(info.st_ino) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            if (info.st_mode & S_IFMT) == S_IFREG, info.st_size < 1 << 20 {
                line += " " + ((try? String(contentsOfFile: tree.path(relative), encoding: .utf8)) ?? "<binary>")
            }
            state.append(line)
        }
        return state.sorted()
    }
}
