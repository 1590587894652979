import Foundation
import Testing
import RegistryCore
import TestSupport

/// `persona-registry serve` against a real PostgreSQL and a real tree: rows
/// inserted, updated and deleted by plain SQL from another connection.
@Suite("serve: the tree follows the tables")
struct DaemonProjectionTests {
    /// Starts a daemon on a fresh database and tree and waits until it is ready.
    static func started(_ database: TestDatabase, _ tree: TemporaryTree) throws -> DaemonProcess {
        let daemon = try DaemonProcess(database: database, tree: tree)
        try #require(daemon.waitFor(.sweepFinished), "the daemon did not finish its first sweep:\n\(daemon.log)")
        return daemon
    }

    /// A running daemon on a database and tree of the test's own, with one persona
    /// inserted by plain SQL and its identity file already written.
    static func startedWithPersona(role: String, name: String) throws -> (TestDatabase, TemporaryTree, DaemonProcess, String) {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try started(database, tree)
        try database.query("INSERT INTO role (name) VALUES ($1)", [role])
        let slug = try #require(try database.query(
            "INSERT INTO persona (name, role_id) VALUES ($1, 1) RETURNING slug", [name]).scalar)
        try #require(waitUntil { tree.exists(slug + "/identity.yaml") }, "\(daemon.log)")
        return (database, tree, daemon, slug)
    }

    static let awkwardNames = [
        "yes", "no", "on", "off", "y", "n", "null", "~", "1e3", "0x1F", "12:30", "2026-11-24", "a: b",
        "  leading spaces", "trailing ", "'single'", "\"double\"", "#hash", "- dash", "true", "False", "NULL",
        ".inf", "-.5", "0o17", "1_000", "@at", "`tick`", "[list]", "{map}", "key: value # c", "Zoë", "日本", "!tag", "&anchor", "*alias", "%percent",
    ]

    @Test("a persona inserted by plain SQL gets its directory, an exact identity file and seed files")
    func insertCreatesDirectory() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree)
        try database.execute("INSERT INTO role (name) VALUES ('developer')")
        let row = try database.query("""
            INSERT INTO persona (name, description, role_id) VALUES ('Con', 'Backend Python development', 1)
            RETURNING slug, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            """).rows[0]
        let slug = try #require(row[0])
        #expect(slug == "developer-con-1")
        #expect(waitUntil { tree.exists(slug + "/identity.yaml") }, "no identity file:\n\(daemon.log)")
        #expect(try tree.read(slug + "/identity.yaml") == """
            # Managed by persona-registry from the persona table. Edit the database, not this file.
            id: 1
            slug: developer-con-1
            name: Con
            role: developer
            status: active
            description: Backend Python development
            created_at: \(row[1]!)

            """)
        let skill = try tree.read(slug + "/skill.md")
        #expect(skill.contains("You are Con, the developer persona `developer-con-1`"))
        #expect(try tree.read(slug + "/experience.md").hasPrefix("# Con: experience"))
        #expect(waitUntil { daemon.lines(.directoryCreated).contains { $0.contains("slug=\(slug)") } },
                "\(daemon.log)")
    }

    @Test("names YAML would mistake come back as the same strings, through our parser and through PyYAML")
    func awkwardNamesRoundTrip() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree)
        let description = "line one\nline two: with colon\n  indented \"quoted\" 'single' # not a comment\n"
        try database.execute("INSERT INTO role (name) VALUES ('yes')")
        var expected: [(slug: String, name: String)] = []
        let connection = try database.connect()
        for name in Self.awkwardNames {
            let slug = try #require(try connection.query(
                "INSERT INTO persona (name, description, role_id) VALUES ($1, $2, 1) RETURNING slug", [name, description]).scalar)
            expected.append((slug, name))
        }
        #expect(waitUntil { expected.allSatisfy { tree.exists($0.slug + "/identity.yaml") } }, "missing directories:\n\(daemon.log)")
        let python = try PythonYAML.load(expected.map { tree.path($0.slug + "/identity.yaml") })
        for ((slug, name), host) in zip(expected, python) {
            let fields = try IdentityDecoder.decode(Array(try tree.read(slug + "/identity.yaml").utf8))
            #expect(fields[.name]?.text == name, "our parser read \(Quoted(fields[.name]?.text ?? "(absent)")) for \(Quoted(name))")
            #expect(fields[.role]?.text == "yes")
            #expect(fields[.description]?.text == description)
            #expect(host["name"] == ["type": "str", "value": name], "PyYAML read \(host["name"] ?? [:]) for \(Quoted(name))")
            #expect(host["role"] == ["type": "str", "value": "yes"])
            #expect(host["slug"] == ["type": "str", "value": slug])
            #expect(host["description"] == ["type": "str", "value": description])
            #expect(host["status"] == ["type": "str", "value": "active"])
            #expect(host["id"]?["type"] == "int")
        }
    }

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

    @Test("a delete leaves the directory in place and logs it as an orphan")
    func deleteLeavesOrphan() throws {
        let (database, tree, daemon, slug) = try Self.startedWithPersona(role: "tester", name: "Verner")
        let before = try tree.read(slug + "/identity.yaml")
        try database.execute("DELETE FROM persona WHERE id = 1")
        #expect(daemon.waitFor(.finding, with: "kind=orphan_directory"), "\(daemon.log)")
        #expect(daemon.lines(.finding, with: "kind=orphan_directory").contains { $0.contains("slug=\(slug)") })
        #expect(try tree.read(slug + "/identity.yaml") == before)
        #expect(try tree.entries() == [".persona-registry.lock", slug])
    }

    @Test("a symlink planted where a persona directory should be is reported, never followed")
    func symlinkIsNeverFollowed() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let outside = try TemporaryTree(createTree: false)
        let target = outside.base + "/elsewhere"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let daemon = try Self.started(database, tree)
        try FileManager.default.createSymbolicLink(atPath: tree.path("developer-con-1"), withDestinationPath: target)
        try database.execute("INSERT INTO role (name) VALUES ('developer'); INSERT INTO persona (name, role_id) VALUES ('Con', 1)")
        #expect(daemon.waitFor(.finding, with: "kind=unexpected_entry"), "\(daemon.log)")
        #expect(daemon.lines(.finding, with: "kind=unexpected_entry").contains { $0.contains("slug=developer-con-1") && $0.contains("symbolic link") })
        // A later sweep (SIGHUP) does not follow it either.
        daemon.signal(SIGHUP)
        #expect(daemon.waitFor(.reloaded))
        #expect(waitUntil { daemon.lines(.sweepFinished).count >= 2 }, "\(daemon.log)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty, "something was written outside the tree")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: tree.path("developer-con-1")) == target)
    }

    @Test("a second serve on the same tree exits 1 naming the lock")
    func secondDaemonIsRefused() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let first = try Self.started(database, tree)
        let second = try BinaryRunner.run(["serve", "--database-url", database.url, "--data-dir", tree.tree,
                                           "--templates-dir", tree.templates])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains(".persona-registry.lock"), "\(second.stderr)")
        #expect(second.stderr.contains("another persona-registry serve holds it (pid \(first.pid))"), "\(second.stderr)")
        #expect(first.process.isRunning)
    }

    @Test("serve on a database without the schema exits 1 saying to migrate")
    func missingSchemaIsOneClearError() throws {
        let database = try TestDatabase(migrated: false)
        let tree = try TemporaryTree()
        let run = try BinaryRunner.run(["serve", "--database-url", database.url, "--data-dir", tree.tree,
                                        "--templates-dir", tree.templates])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("migrate up"), "\(run.stderr)")
        #expect(try tree.entries().filter { !$0.hasPrefix(".") }.isEmpty)
    }
}
