import Foundation
import Testing
import TestSupport
import RegistryCore
import RegistryDatabase

/// `persona-registry drift` on a real database and tree: what it reports in each format, and its exit status.
@Suite("drift, run as a subprocess")
struct DriftCommandTests: DriftFixture {
    let database: TestDatabase
    let tree: TemporaryTree

    @Test("clean tree: exit 0, one summary line, in every format")
    func cleanTree() throws {
        try addPersonas(["Con", "Old"], archived: ["Old"])
        let reconcile = try cli("reconcile")
        #expect(reconcile.status == 0, "\(reconcile.stdout)\(reconcile.stderr)")
        #expect(try tree.entries() == ["developer-con-1"])
        let text = try cli("drift")
        #expect(text.status == 0)
        #expect(text.stdout == "0 findings: the tree is in step with the database\n")
        let porcelain = try cli("drift", "--format", "porcelain")
        #expect(porcelain.status == 0 && porcelain.stdout.isEmpty)
        let json = try cli("drift", "--format", "json")
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["total"] as? Int == 0)
        #expect((object?["findings"] as? [Any])?.isEmpty == true)
    }

    @Test("every finding kind, exact text and porcelain, parsed JSON, exit 2")
    func everyKind() throws {
        try makeDriftOfEveryKind()
        let text = try cli("drift")
        #expect(text.status == 2, "\(text.stderr)")
        #expect(text.stdout == """
            table -> tree
              missing_directory  developer-ann-2  active persona has no directory
              missing_identity   developer-bob-3  the directory has no identity.yaml
            tree -> table
              orphan_directory   tester-gone-99   no persona has this slug
            both
              identity_mismatch  developer-con-1  name: database Con, file Conrad
            tree
              invalid_identity   developer-eve-5  anchors are not allowed
              unexpected_entry   link             symbolic link in the tree root
              unexpected_entry   notes.txt        regular file in the tree root

            7 findings: 1 missing directory, 1 orphan directory, 1 missing identity file, 1 identity mismatch, 1 invalid identity file, 2 unexpected entries

            """)
        let porcelain = try cli("drift", "--format", "porcelain")
        #expect(porcelain.status == 2)
        #expect(porcelain.stdout == """
            missing_directory\tdeveloper-ann-2\t\t\t\tactive persona has no directory
            missing_identity\tdeveloper-bob-3\t\t\t\tthe directory has no identity.yaml
            identity_mismatch\tdeveloper-con-1\tname\tCon\tConrad\t
            invalid_identity\tdeveloper-eve-5\t\t\t\tanchors are not allowed
            unexpected_entry\tlink\t\t\t\tsymbolic link in the tree root
            unexpected_entry\tnotes.txt\t\t\t\tregular file in the tree root
            orphan_directory\ttester-gone-99\t\t\t\tno persona has this slug

            """)
        let json = try cli("drift", "--format", "json")
        #expect(json.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["format_version"] as? Int == 1)
        #expect(object["total"] as? Int == 7)
        #expect(object["counts"] as? [String: Int] == ["missing_directory": 1, "orphan_directory": 1, "missing_identity": 1,
                                                       "identity_mismatch": 1, "invalid_identity": 1, "missing_seed_file": 0,
                                                       "escaping_seed_file": 0, "unexpected_entry": 2])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.map { $0["slug"] as? String ?? "" } == ["developer-ann-2", "developer-bob-3", "developer-con-1",
                                                                 "developer-eve-5", "link", "notes.txt", "tester-gone-99"])
        #expect(findings[2]["differences"] as? [[String: String]] == [["field": "name", "database": "Con", "file": "Conrad"]])
        #expect(findings[0]["persona_id"] as? Int == 2)
    }

    @Test("exit 1 when the database cannot be reached or the tree is missing")
    func errors() throws {
        let unreachable = try BinaryRunner.run(["drift"], environment: [
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", "PERSONA_DATA_DIR": tree.tree])
        #expect(unreachable.status == 1)
        #expect(unreachable.stdout.isEmpty)
        #expect(unreachable.stderr.split(separator: "\n").count == 1, "\(unreachable.stderr)")
        #expect(unreachable.stderr.contains("cannot connect"))
        try addPersonas(["Con"])
        let missing = try BinaryRunner.run(["drift"], environment: ["DATABASE_URL": database.url,
                                                                    "PERSONA_DATA_DIR": tree.tree + "/absent"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("absent"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tree.tree + "/absent"), "drift is read-only")
        try tree.write("a-file", "not a directory")
        let notDirectory = try BinaryRunner.run(["drift"], environment: ["DATABASE_URL": database.url,
                                                                         "PERSONA_DATA_DIR": tree.path("a-file")])
        #expect(notDirectory.status == 1)
        #expect(notDirectory.stderr.contains("cannot open the tree") && notDirectory.stderr.contains("Not a directory"),
                "\(notDirectory.stderr)")
        let dryRun = try BinaryRunner.run(["reconcile", "--dry-run", "--format", "porcelain"], environment: [
            "DATABASE_URL": database.url, "PERSONA_DATA_DIR": tree.tree + "/absent"])
        #expect(dryRun.status == 0)
        #expect(dryRun.stdout == "repair\tcreate_directory\tdeveloper-con-1\tdirectory with identity file and seed files\t\n")
        #expect(!FileManager.default.fileExists(atPath: tree.tree + "/absent"), "a dry run creates nothing")
    }

    @Test("archived personas: a kept directory is not an orphan, a missing one is not drift")
    func archived() throws {
        try addPersonas(["Con", "Kept"])
        #expect(try cli("reconcile").status == 0)
        try database.execute("UPDATE persona SET status = 'archived'")
        try database.execute("INSERT INTO persona (name, role_id, status) VALUES ('Gone', 1, 'archived')")
        try FileManager.default.removeItem(atPath: tree.path("developer-kept-2"))
        let drift = try cli("drift", "--format", "porcelain")
        #expect(drift.status == 2)
        #expect(drift.stdout == "identity_mismatch\tdeveloper-con-1\tstatus\tarchived\tactive\t\n")
        let reconcile = try cli("reconcile")
        #expect(reconcile.status == 0, "\(reconcile.stdout)")
        #expect(try tree.read("developer-con-1/identity.yaml").contains("status: archived\n"))
        #expect(!tree.exists("developer-kept-2") && !tree.exists("developer-gone-3"), "no directory is made for an archived persona")
        let clean = try cli("drift")
        #expect(clean.status == 0, "\(clean.stdout)")
    }
}
