import Foundation
import Testing
import TestSupport

/// The walkthrough of docs/headspace-host.md, read from that file and run line by line on a
/// database the host's revisions built, with `persona-registry` on PATH as a package installs it.
@Suite("the walkthrough of docs/headspace-host.md on a Headspace host")
struct HostReadmeWalkthroughTests {
    @Test("its commands adopt the host's tables, add a persona, make the directories and find the tree in step")
    func walkthroughWorks() throws {
        let commands = try ReadmeWalkthroughTests.walkthrough(marker: "<!-- walkthrough-headspace:", in: "docs/headspace-host.md")
        try #require(commands.count >= 4, "\(commands)")
        let database = try HostAdoptionTests.hostDatabase()
        let tree = try TemporaryTree()
        let binaries = (Repository.binary as NSString).deletingLastPathComponent
        let path = binaries + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let script = "set -euo pipefail\n" + commands.joined(separator: "\n") + "\n"
        let run = try BinaryRunner.run(["-c", script], environment: [
            "DATABASE_URL": database.url, "PERSONA_DATA_DIR": tree.tree, "PATH": path,
        ], executable: "/bin/bash")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("Applied 1001_host_tables.sql") && run.stdout.contains("Applied 1002_host_rules.sql"))
        #expect(run.stdout.contains("Layout: headspace (tables roles, personas)"))
        #expect(run.stdout.contains("the tree is in step with the database"), "\(run.stdout)")
        let con = try #require(try database.query("SELECT slug FROM personas WHERE name = 'Con' ORDER BY id DESC LIMIT 1").scalar)
        for name in ["identity.yaml", "skill.md", "experience.md"] { #expect(tree.exists(con + "/" + name), "\(con)/\(name)") }
        let sam = try #require(try database.query("SELECT slug FROM personas WHERE name = 'Sam'").scalar)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path(sam)) == ["identity.yaml"])
    }
}
