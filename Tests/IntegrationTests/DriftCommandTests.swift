import Foundation
import Testing
import TestSupport
import RegistryCore
import RegistryDatabase

/// `persona-registry drift` and `reconcile`, run as subprocesses against a
/// real PostgreSQL and a real tree.
@Suite("drift and reconcile, run as a subprocess")
struct DriftCommandTests: CommandFixture {
    let database: TestDatabase
    let tree: TemporaryTree

    init() throws {
        database = try TestDatabase()
        tree = try TemporaryTree()
    }

    /// Roles developer (1) and tester (2); personas developer-con-1 ... in this order.
    func addPersonas(_ names: [String], archived: Set<String> = []) throws {
        try database.execute("INSERT INTO role (name) VALUES ('developer'), ('tester')")
        for name in names {
            try database.query("INSERT INTO persona (name, role_id, status) VALUES ($1, 1, $2)",
                               [name, archived.contains(name) ? "archived" : "active"])
        }
    }

    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: tree.path(relative), withIntermediateDirectories: true)
    }

    /// Builds drift of every kind on top of an in-step tree:
    /// con-1 mismatched, ann-2 missing directory, bob-3 missing identity, eve-5 invalid (anchors),
    /// old-4 archived without directory, tester-gone-99 orphan, notes.txt and a symlink stray.
    func makeDriftOfEveryKind() throws {
        try addPersonas(["Con", "Ann", "Bob", "Old", "Eve"], archived: ["Old"])
        #expect(try cli("reconcile").status == 0)
        try FileManager.default.removeItem(atPath: tree.path("developer-ann-2"))
        try FileManager.default.removeItem(atPath: tree.path("developer-bob-3/identity.yaml"))
        let con = try tree.read("developer-con-1/identity.yaml")
        try tree.write("developer-con-1/identity.yaml", con.replacingOccurrences(of: "name: Con\n", with: "name: Conrad\n"))
        try tree.write("developer-eve-5/identity.yaml", "a: &a [lol, lol]\nb: [*a, *a]\n")
        try mkdir("tester-gone-99")
        try tree.write("notes.txt", "stray")
        try FileManager.default.createSymbolicLink(atPath: tree.path("link"), withDestinationPath: "/etc")
    }

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

    @Test("a persona's directory has its identity file and seeds from the templates")
    func reconcileCreatesIdentityAndSeeds() throws {
        try addPersonas(["Con"])
        #expect(try cli("reconcile").status == 0)
        let persona = try #require(try PersonaQueries.all(on: database.connect()).first)
        #expect(try tree.read("developer-con-1/identity.yaml") == String(decoding: IdentityEncoder.encode(persona), as: UTF8.self))
        #expect(try tree.read("developer-con-1/skill.md").contains("You are Con, the developer persona `developer-con-1`"))
        #expect(tree.exists("developer-con-1/experience.md"))
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

    @Test("hostile identity files are findings: no hang, no crash, nothing read outside the tree")
    func hostileFiles() throws {
        try addPersonas(["Laughs", "Big", "Fifo", "Link", "Binary", "Dir", "Outside"])
        #expect(try cli("reconcile").status == 0)
        let laughs = (0..<9).map { level in
            "l\(level + 1): &l\(level + 1) [" + Array(repeating: level == 0 ? "\"lol\"" : "*l\(level)", count: 9).joined(separator: ",") + "]"
        }.joined(separator: "\n") + "\n"
        try tree.write("developer-laughs-1/identity.yaml", laughs)
        let big = open(tree.path("developer-big-2/identity.yaml"), O_WRONLY | O_TRUNC)
        #expect(ftruncate(big, 100 * 1024 * 1024) == 0)
        close(big)
        try FileManager.default.removeItem(atPath: tree.path("developer-fifo-3/identity.yaml"))
        #expect(mkfifo(tree.path("developer-fifo-3/identity.yaml"), 0o644) == 0)
        try FileManager.default.removeItem(atPath: tree.path("developer-link-4/identity.yaml"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("developer-link-4/identity.yaml"), withDestinationPath: "/etc/passwd")
        try Data([0x69, 0x64, 0x3A, 0x20, 0xC3, 0x28, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: tree.path("developer-binary-5/identity.yaml")))
        try FileManager.default.removeItem(atPath: tree.path("developer-dir-6/identity.yaml"))
        try mkdir("developer-dir-6/identity.yaml")
        let outside = tree.base + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: tree.path("developer-outside-7"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("developer-outside-7"), withDestinationPath: outside)
        let passwd = try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd"))

        let drift = try cli("drift", "--format", "porcelain")
        #expect(drift.status == 2, "\(drift.stderr)")
        #expect(drift.stdout == """
            invalid_identity\tdeveloper-big-2\t\t\t\tlarger than the 256 KiB cap (104857600 bytes)
            invalid_identity\tdeveloper-binary-5\t\t\t\tnot valid UTF-8 (byte 4)
            invalid_identity\tdeveloper-dir-6\t\t\t\tidentity.yaml is a directory, not a regular file
            invalid_identity\tdeveloper-fifo-3\t\t\t\tidentity.yaml is a FIFO, not a regular file
            invalid_identity\tdeveloper-laughs-1\t\t\t\tanchors are not allowed
            invalid_identity\tdeveloper-link-4\t\t\t\tidentity.yaml is a symbolic link, not a regular file
            unexpected_entry\tdeveloper-outside-7\t\t\t\tsymbolic link where the persona's directory should be

            """)
        #expect(!drift.stdout.contains("root:"), "nothing of /etc/passwd is read")

        let reconcile = try cli("reconcile", "--format", "porcelain")
        #expect(reconcile.status == 2)
        #expect(reconcile.stdout.contains("finding\tinvalid_identity\tdeveloper-fifo-3"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: tree.path("developer-link-4/identity.yaml")) == "/etc/passwd")
        #expect(try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd")) == passwd)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "nothing written through a symlinked directory")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: tree.path("developer-dir-6/identity.yaml"), isDirectory: &isDirectory) && isDirectory.boolValue)
        // The regular invalid files were replaced, their bytes kept beside them.
        for slug in ["developer-laughs-1", "developer-big-2", "developer-binary-5"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: tree.path(slug))
            #expect(names.contains { $0.hasPrefix("identity.yaml.rejected-") }, "\(slug): \(names)")
            #expect(try tree.read(slug + "/identity.yaml").hasPrefix("# Managed by persona-registry"))
        }
        let remaining = try cli("drift", "--format", "porcelain")
        #expect(remaining.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[1]) }
                == ["developer-dir-6", "developer-fifo-3", "developer-link-4", "developer-outside-7"])
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
