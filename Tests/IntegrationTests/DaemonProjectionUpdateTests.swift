import Foundation
import Testing
import RegistryCore
import TestSupport

/// `persona-registry serve`: updates and role renames by plain SQL, and what they leave alone.
@Suite("serve: updated rows rewrite identity files")
struct DaemonProjectionUpdateTests: DaemonFixture {
    @Test("an update and a role rename rewrite the identity file; a hand-written skill.md is untouched")
    func updateAndRoleRenameRewrite() throws {
        let (database, tree, daemon, slug) = try Self.startedWithPersona(role: "developer", name: "Con")
        let handWritten = "# My own notes\n\nNever touch this. \u{1F600}\n"
        try tree.write(slug + "/skill.md", handWritten)
        let skillBefore = try Data(contentsOf: URL(fileURLWithPath: tree.path(slug + "/skill.md")))

        try database.execute("UPDATE persona SET name = 'Connor', description = 'on: off', status = 'archived' WHERE id = 1")
        #expect(waitUntil { (try? tree.read(slug + "/identity.yaml"))?.contains("name: Connor\n") == true }, "\(daemon.log)")
        var identity = try tree.read(slug + "/identity.yaml")
        #expect(identity.contains("status: archived\n"))
        #expect(identity.contains("description: 'on: off'\n"))

        try database.execute("UPDATE role SET name = 'architect' WHERE id = 1")
        #expect(waitUntil { (try? tree.read(slug + "/identity.yaml"))?.contains("role: architect\n") == true }, "\(daemon.log)")
        identity = try tree.read(slug + "/identity.yaml")
        #expect(identity.contains("slug: developer-con-1\n"), "the slug never changes")
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree.path(slug + "/skill.md"))) == skillBefore)
        let entries = try FileManager.default.contentsOfDirectory(atPath: tree.path(slug)).sorted()
        #expect(entries == ["experience.md", "identity.yaml", "skill.md"], "no temp files left: \(entries)")
    }

    /// The inode of a file in the tree (an atomic rewrite changes it).
    static func inode(_ tree: TemporaryTree, _ relative: String) throws -> UInt64 {
        try #require(try FileManager.default.attributesOfItem(atPath: tree.path(relative))[.systemFileNumber] as? UInt64)
    }

    /// Inserts one more persona of role 1 and waits for its directory: notifications are applied
    /// in order, so everything sent before it has been applied too.
    static func settle(_ database: TestDatabase, _ tree: TemporaryTree, _ daemon: DaemonProcess, name: String) throws {
        let slug = try #require(try database.query(
            "INSERT INTO persona (name, role_id) VALUES ($1, 1) RETURNING slug", [name]).scalar)
        #expect(waitUntil { tree.exists(slug + "/identity.yaml") }, "\(daemon.log)")
    }

    @Test("an update never replaces an invalid identity file: it stays byte for byte and is reported as invalid_identity")
    func updateLeavesInvalidIdentity() throws {
        let (database, tree, daemon, slug) = try Self.startedWithPersona(role: "developer", name: "Con")
        let identity = slug + "/identity.yaml"
        let broken = "# a person is half way through an edit\nname: [Con\nrole: developer\n"
        try tree.write(identity, broken)
        #expect(waitUntil { daemon.lines(.finding, with: "kind=invalid_identity").contains { $0.contains("slug=developer-con-1") } },
                "\(daemon.log)")
        try database.execute("UPDATE persona SET name = 'Connor', description = 'renamed' WHERE id = 1")
        try Self.settle(database, tree, daemon, name: "Later")
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree.path(identity))) == Data(broken.utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("developer-con-1")).sorted()
                == ["experience.md", "identity.yaml", "skill.md"], "no identity.yaml.rejected-… from a notification")
        #expect(daemon.lines(.finding, with: "kind=invalid_identity").count == 1, "\(daemon.log)")
        #expect(!daemon.lines(.identityWritten).contains { $0.contains("slug=developer-con-1") }, "\(daemon.log)")
    }

    @Test("a role's description changing sends no notification: its personas' identity files are not rewritten")
    func roleDescriptionChangeRewritesNothing() throws {
        let (database, tree, daemon, slug) = try Self.startedWithPersona(role: "developer", name: "Con")
        let identity = slug + "/identity.yaml"
        // A stale but valid file: any notification about this persona would rewrite it.
        let edited = try tree.read(identity).replacingOccurrences(of: "name: Con\n", with: "name: Conrad\n")
        try tree.write(identity, edited)
        #expect(daemon.waitFor(.finding, with: "kind=identity_mismatch"), "\(daemon.log)")
        let inode = try Self.inode(tree, identity)

        try database.execute("UPDATE role SET description = 'writes the backend' WHERE id = 1")
        try Self.settle(database, tree, daemon, name: "Later")
        #expect(try Self.inode(tree, identity) == inode, "the identity file was rewritten:\n\(daemon.log)")
        #expect(try tree.read(identity) == edited)

        // A rename is relevant and does rewrite it.
        try database.execute("UPDATE role SET name = 'architect' WHERE id = 1")
        #expect(waitUntil { (try? tree.read(identity))?.contains("role: architect\n") == true }, "\(daemon.log)")
        #expect(try tree.read(identity).contains("name: Con\n"))
    }
}
