import Foundation
import Testing
import TestSupport

/// What the host's persona page does, from the command line: show one persona, change its name
/// or description (the slug stays), change a role's description.
@Suite("persona show, persona set, role set")
struct PersonaEditCommandTests: DaemonFixture {
    func run(_ database: TestDatabase, _ tree: TemporaryTree, _ arguments: String...) throws -> RunResult {
        try run(database, tree, arguments)
    }

    func run(_ database: TestDatabase, _ tree: TemporaryTree, _ arguments: [String]) throws -> RunResult {
        try BinaryRunner.run(arguments + ["--database-url", database.url], environment: ["PERSONA_DATA_DIR": tree.tree])
    }

    @Test("set renames a persona and sets or clears its description; the daemon rewrites the identity file; show reports it")
    func setAndShow() throws {
        let (database, tree, daemon, slug) = try Self.startedWithPersona(role: "developer", name: "Con")
        let renamed = try run(database, tree, "persona", "set", slug, "--name", "Connor", "--description", "Backend")
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(renamed.stdout == "Updated \(slug): Connor (developer)\n")
        #expect(waitUntil { (try? tree.read(slug + "/identity.yaml"))?.contains("name: Connor") == true }, "\(daemon.log)")
        #expect(try database.query("SELECT slug || ' ' || description FROM persona").scalar == "\(slug) Backend")
        #expect(try run(database, tree, "persona", "set", slug, "--clear-description").status == 0)
        #expect(try database.query("SELECT description IS NULL FROM persona").scalar == "t")

        #expect(waitUntil { (try? tree.read(slug + "/identity.yaml"))?.contains("Backend") == false }, "\(daemon.log)")
        let shown = try run(database, tree, "persona", "show", slug)
        #expect(shown.status == 0, "\(shown.stdout)\(shown.stderr)")
        let lines = shown.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("Name: ") && $0.hasSuffix(" Connor") }, "\(shown.stdout)")
        #expect(lines.contains { $0.hasPrefix("Directory: ") && $0.hasSuffix("/\(slug) (in step)") }, "\(shown.stdout)")
        try FileManager.default.removeItem(atPath: tree.path(slug + "/skill.md"))
        daemon.killHard()
        let drifting = try run(database, tree, "persona", "show", slug, "--format", "json")
        #expect(drifting.status == 2)
        #expect(drifting.stdout.contains("\"kind\" : \"missing_seed_file\""), "\(drifting.stdout)")
        #expect(drifting.stdout.contains("\"slug\" : \"\(slug)\""))
    }

    @Test("set and show refuse an unknown slug, a blank name and an empty change in one line")
    func refusals() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        for arguments in [["persona", "set", "developer-nobody-9", "--name", "X"], ["persona", "show", "developer-nobody-9"],
                          ["persona", "set", "developer-con-1", "--name", "   "], ["role", "set", "wizard", "--description", "x"]] {
            let refused = try run(database, tree, arguments)
            #expect(refused.status == 1, "\(arguments): \(refused.stdout)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(arguments): \(refused.stderr)")
        }
        let nothing = try run(database, tree, "persona", "set", "developer-con-1")
        #expect(nothing.status == 64 && nothing.stderr.contains("nothing to change"), "\(nothing.stderr)")
        #expect(try database.query("SELECT name FROM persona").scalar == "Con")
    }

    @Test("role set changes only a role's description")
    func roleSet() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer")
        let set = try run(database, tree, "role", "set", "developer", "--description", "Writes the code")
        #expect(set.status == 0 && set.stdout == "Updated role developer\n", "\(set.stderr)")
        #expect(try database.query("SELECT name || ': ' || description FROM role").scalar == "developer: Writes the code")
        #expect(try run(database, tree, "role", "set", "developer", "--clear-description").status == 0)
        #expect(try database.query("SELECT description IS NULL FROM role").scalar == "t")
    }
}
