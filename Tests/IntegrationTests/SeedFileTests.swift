import Foundation
import Testing
import TestSupport

/// Seed files as part of drift, end to end: a persona directory without
/// `skill.md` or `experience.md`, and a seed file that is a symbolic link
/// leading out of the tree, found by `drift`, repaired by `reconcile` and `serve`.
@Suite("seed files: missing and escaping")
struct SeedFileTests: CommandFixture, DaemonFixture {
    let database: TestDatabase
    let tree: TemporaryTree

    init() throws {
        database = try TestDatabase()
        tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con", "Ann")
    }

    /// `skill.md` of Con as the templates render it.
    func renderedSkill(name: String = "Con", slug: String = "developer-con-1") throws -> String {
        try String(contentsOfFile: tree.templates + "/skill.md", encoding: .utf8)
            .replacingOccurrences(of: "{{name}}", with: name).replacingOccurrences(of: "{{role}}", with: "developer")
            .replacingOccurrences(of: "{{slug}}", with: slug)
    }

    @Test("drift finds a missing and an escaping seed file; reconcile recreates the missing one and only reports the link")
    func driftAndReconcile() throws {
        #expect(try cli("reconcile").status == 0)
        let outside = try TemporaryTree(createTree: false)
        let secret = outside.base + "/secret.md"
        try "outside the tree\n".write(toFile: secret, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: tree.path("developer-con-1/skill.md"))
        try FileManager.default.removeItem(atPath: tree.path("developer-ann-2/experience.md"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("developer-ann-2/experience.md"), withDestinationPath: secret)
        // A link that stays inside the tree is not a finding.
        try FileManager.default.removeItem(atPath: tree.path("developer-ann-2/skill.md"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("developer-ann-2/skill.md"),
                                                   withDestinationPath: "../developer-con-1/experience.md")

        let porcelain = try cli("drift", "--format", "porcelain")
        #expect(porcelain.status == 2, "\(porcelain.stderr)")
        #expect(porcelain.stdout == """
            escaping_seed_file\tdeveloper-ann-2\t\t\t\texperience.md is a symbolic link leading out of the tree (-> \(secret))
            missing_seed_file\tdeveloper-con-1\t\t\t\tskill.md is missing

            """)
        let text = try cli("drift")
        #expect(text.status == 2)
        #expect(text.stdout.contains("missing_seed_file") && text.stdout.contains("escaping_seed_file"), "\(text.stdout)")
        #expect(text.stdout.hasSuffix("2 findings: 1 missing seed file, 1 seed file leading out of the tree\n"), "\(text.stdout)")
        let json = try cli("drift", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let counts = try #require(object["counts"] as? [String: Int])
        #expect(counts["missing_seed_file"] == 1 && counts["escaping_seed_file"] == 1 && counts["missing_identity"] == 0)

        let dry = try cli("reconcile", "--dry-run", "--format", "porcelain")
        #expect(dry.stdout.contains("repair\twrite_seed_files\tdeveloper-con-1\tmissing seed file skill.md\t\n"), "\(dry.stdout)")
        #expect(!tree.exists("developer-con-1/skill.md"), "a dry run changes nothing")

        let reconcile = try cli("reconcile", "--format", "porcelain")
        #expect(reconcile.status == 2, "the escaping link remains: \(reconcile.stdout)\(reconcile.stderr)")
        #expect(reconcile.stdout.contains("repair\twrite_seed_files\tdeveloper-con-1\tseeded skill.md\t\n"),
                "\(reconcile.stdout)")
        #expect(reconcile.stdout.contains("finding\tescaping_seed_file\tdeveloper-ann-2\t"), "\(reconcile.stdout)")
        #expect(try tree.read("developer-con-1/skill.md") == renderedSkill())
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: tree.path("developer-ann-2/experience.md")) == secret)
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "outside the tree\n")
        let after = try cli("drift", "--format", "porcelain")
        #expect(after.stdout.split(separator: "\n").map { $0.split(separator: "\t").first } == ["escaping_seed_file"])
    }

    @Test("serve recreates a seed file deleted before it started and one deleted while it runs; an escaping link is logged, left alone")
    func daemonRecreatesSeedFiles() throws {
        #expect(try cli("reconcile").status == 0)
        try FileManager.default.removeItem(atPath: tree.path("developer-ann-2/experience.md"))
        let daemon = try Self.started(database, tree)
        #expect(tree.exists("developer-ann-2/experience.md"), "the start-up sweep did not recreate it:\n\(daemon.log)")

        try FileManager.default.removeItem(atPath: tree.path("developer-con-1/skill.md"))
        #expect(waitUntil { tree.exists("developer-con-1/skill.md") }, "the re-check did not recreate it:\n\(daemon.log)")
        #expect(try tree.read("developer-con-1/skill.md") == renderedSkill())
        #expect(daemon.waitFor(.seedFilesCreated, with: "files=skill.md"), "\(daemon.log)")

        // Replaced in one rename: the daemon never sees it missing (it would recreate it).
        try FileManager.default.createSymbolicLink(atPath: tree.path("developer-con-1/link"), withDestinationPath: "/etc/hostname")
        try #require(rename(tree.path("developer-con-1/link"), tree.path("developer-con-1/experience.md")) == 0)
        #expect(daemon.waitFor(.finding, with: "kind=escaping_seed_file"), "\(daemon.log)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: tree.path("developer-con-1/experience.md")) == "/etc/hostname")
        #expect(daemon.lines(.finding, with: "kind=missing_seed_file").isEmpty, "a repaired seed file is no lasting finding:\n\(daemon.log)")
    }
}
