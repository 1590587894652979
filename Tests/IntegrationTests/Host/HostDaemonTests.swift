import Foundation
import Testing
import TestSupport

/// The daemon serving the host's adopted tables: directories under the host's slugs, the
/// host's own seed text, no seed files for a person, the host's files left alone.
@Suite("the headspace layout: serving the host's tables")
struct HostDaemonTests: MigrationFixture, DaemonFixture {
    /// The host's registration service's text for the same persona.
    static func hostSkill(name: String, role: String) -> String {
        "# \(name) — \(role)\n\n## Core Identity\n[Who this persona is — 1-2 sentences]\n\n"
            + "## Skills & Preferences\n[Key competencies and working style]\n\n"
            + "## Communication Style\n[How this persona communicates]\n"
    }

    static func hostExperience(name: String) -> String {
        "# Experience Log — \(name)\n\n<!-- Append-only. New entries added at the top. -->\n"
            + "<!-- Periodically curated to remove outdated learnings. -->\n"
    }

    @Test("personas inserted the host's way get their directory under the host's slug; the operator no seed files; drift is clean with handoffs/")
    func servesTheHostsPersonas() throws {
        let database = try HostAdoptionTests.hostDatabase()
        let connection = try database.connect()
        try connection.execute(HostSchema.organisations)
        let rowsBefore = try HostSchema.rows(on: connection)
        #expect(try migrate("up", database).status == 0)
        let tree = try TemporaryTree()
        let daemon = try Self.startedWithBuiltInTemplates(database, tree)  // the layout's own templates
        #expect(daemon.log.contains("layout=headspace"))

        var slugs: [String: String] = [:]
        for name in ["Mary Ann Smith", "日本", "Anne-Marie O'Brien"] {
            slugs[name] = try HostSchema.insertPersona(name, role: "developer", typeID: 1, on: connection).slug
        }
        #expect(slugs["日本"]?.hasPrefix("developer--") == true)
        #expect(slugs["Anne-Marie O'Brien"]?.hasPrefix("developer-anne-marie-o-brien-") == true)
        let added = try BinaryRunner.run(["persona", "add", "--database-url", database.url, "--data-dir", tree.tree,
                                          "--role", "developer", "--name", "Robbo"])
        #expect(added.status == 0, "\(added.stderr)")
        let robbo = try #require(try database.query("SELECT slug FROM personas WHERE name = 'Robbo'").scalar)
        let zoe = try #require(try database.query("SELECT slug FROM personas WHERE name = 'Zoë Straße'").scalar)
        #expect(zoe.hasPrefix("developer-zo-stra-e-"))
        let agents = try database.query("SELECT slug, name FROM personas WHERE persona_type_id = 1 ORDER BY id").rows
        #expect(agents.count == 6)
        for row in agents {
            let (slug, name) = (row[0] ?? "", row[1] ?? "")
            try #require(waitUntil { tree.exists(slug + "/experience.md") }, "\(slug)\n\(daemon.log)")
            #expect(tree.exists(slug + "/identity.yaml"))
            #expect(try String(contentsOfFile: tree.path(slug + "/skill.md"), encoding: .utf8) == Self.hostSkill(name: name, role: "developer"))
            #expect(try String(contentsOfFile: tree.path(slug + "/experience.md"), encoding: .utf8) == Self.hostExperience(name: name))
        }
        #expect(robbo.hasPrefix("developer-robbo-"))
        let operatorSlug = try #require(try database.query("SELECT slug FROM personas WHERE name = 'Sam'").scalar)
        #expect(operatorSlug.hasPrefix("operator-sam-"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path(operatorSlug)) == ["identity.yaml"])
        // The host's temporary slugs never reached the tree or the daemon.
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.tree).allSatisfy { !$0.contains("pending") })
        #expect(!daemon.log.contains("_pending_"), "\(daemon.log)")

        // The host's handoff notes, and a file of its own, in a persona's directory.
        try FileManager.default.createDirectory(atPath: tree.path(zoe + "/handoffs"), withIntermediateDirectories: false)
        let handoff = zoe + "/handoffs/2026-03-02T23:39:00_fix-the-build_agent-id:1137.md"
        try "notes\n".write(toFile: tree.path(handoff), atomically: false, encoding: .utf8)
        try "mine\n".write(toFile: tree.path(zoe + "/notes.md"), atomically: false, encoding: .utf8)
        let drift = try BinaryRunner.run(["drift", "--database-url", database.url, "--data-dir", tree.tree])
        #expect(drift.status == 0, "\(drift.stdout)\(drift.stderr)")
        let reconcile = try BinaryRunner.run(["reconcile", "--database-url", database.url, "--data-dir", tree.tree])
        #expect(reconcile.status == 0, "\(reconcile.stdout)\(reconcile.stderr)")
        #expect(tree.exists(handoff) && tree.exists(zoe + "/notes.md"))

        // The host's later revision applies on the served tables; the daemon goes on.
        try connection.execute(HostSchema.positions)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        #expect(try migrate("down", database).status == 0)
        #expect(try migrate("down", database).status == 0)
        // Every row there before is there unchanged; the four added since stay too.
        let rowsAfter = try HostSchema.rows(on: connection)
        #expect(rowsAfter.count == rowsBefore.count + 4)
        #expect(rowsBefore.allSatisfy(rowsAfter.contains))
    }

    @Test("a seed file the host's registration wrote first is kept; the daemon adds the rest and reports nothing")
    func hostWritesFirst() throws {
        let database = try HostAdoptionTests.hostDatabase()
        #expect(try migrate("up", database).status == 0)
        let tree = try TemporaryTree()
        let daemon = try Self.startedWithBuiltInTemplates(database, tree)  // the layout's own templates
        let connection = try database.connect()
        // The host's way: the row, then (before the daemon hears of the commit) its directory and skill.md.
        let persona = try HostSchema.insertPersona("Verner", role: "developer", typeID: 1, on: connection) { slug in
            try FileManager.default.createDirectory(atPath: tree.path(slug), withIntermediateDirectories: false)
            try "# Verner, as the host wrote it\n".write(toFile: tree.path(slug + "/skill.md"), atomically: false, encoding: .utf8)
        }
        try #require(waitUntil { tree.exists(persona.slug + "/identity.yaml") && tree.exists(persona.slug + "/experience.md") },
                     "\(daemon.log)")
        #expect(try String(contentsOfFile: tree.path(persona.slug + "/skill.md"), encoding: .utf8) == "# Verner, as the host wrote it\n")
        #expect(daemon.lines(.entryFailed).isEmpty, "\(daemon.log)")
        #expect(!daemon.log.contains(" error:") && !daemon.log.contains(" warning:"), "\(daemon.log)")
        let drift = try BinaryRunner.run(["drift", "--database-url", database.url, "--data-dir", tree.tree])
        #expect(drift.status == 0, "\(drift.stdout)")
    }
}
