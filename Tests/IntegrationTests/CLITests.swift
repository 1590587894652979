import Foundation
import Testing
import TestSupport

@Suite("operator CLI, run as a subprocess")
struct CLITests {
    let database: TestDatabase
    let tree: TemporaryTree

    init() throws {
        database = try TestDatabase()
        tree = try TemporaryTree()
    }

    func cli(_ arguments: String...) throws -> RunResult {
        try BinaryRunner.run(arguments, environment: ["DATABASE_URL": database.url, "PERSONA_DATA_DIR": tree.tree])
    }

    func personaCount() throws -> String? {
        try database.query("SELECT count(*) FROM persona").scalar
    }

    /// The error line: exactly one line on stderr, nothing on stdout.
    func expectOneErrorLine(_ run: RunResult, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 1, "exit status", sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, "stdout: \(run.stdout)", sourceLocation: sourceLocation)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(text), "stderr: \(run.stderr)", sourceLocation: sourceLocation)
    }

    @Test("role add and role list")
    func roleAddAndList() throws {
        let add = try cli("role", "add", "developer", "--description", "Backend Python development")
        #expect(add.status == 0)
        #expect(add.stdout == "Added role developer (id 1)\n")
        #expect(try cli("role", "add", "tester").status == 0)
        let list = try cli("role", "list")
        #expect(list.status == 0)
        #expect(list.stdout == """
            ID  NAME       PERSONAS  DESCRIPTION
            1   developer  0         Backend Python development
            2   tester     0         \("")

            """)
        let json = try cli("role", "list", "--format", "json")
        let roles = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(roles?.map { $0["name"] as? String } == ["developer", "tester"])
        #expect(roles?[1]["description"] is NSNull)
    }

    @Test("persona add prints the slug")
    func personaAdd() throws {
        _ = try cli("role", "add", "developer")
        let add = try cli("persona", "add", "--role", "developer", "--name", "Con", "--description", "Backend Python development")
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.hasPrefix("Added persona Con (developer) as developer-con-1\n"))
        let second = try cli("persona", "add", "--role", "developer", "--name", "Con")
        #expect(second.stdout.hasPrefix("Added persona Con (developer) as developer-con-2\n"))
    }

    @Test("persona list filters by role and status, in text and json")
    func personaList() throws {
        _ = try cli("role", "add", "developer")
        _ = try cli("role", "add", "tester")
        _ = try cli("persona", "add", "--role", "developer", "--name", "Con")
        _ = try cli("persona", "add", "--role", "tester", "--name", "Verner")
        _ = try cli("persona", "add", "--role", "developer", "--name", "Gavin")
        #expect(try cli("persona", "archive", "developer-gavin-3").stdout == "Archived developer-gavin-3\n")

        let all = try cli("persona", "list")
        #expect(all.stdout == """
            ID  SLUG               NAME    ROLE       STATUS
            1   developer-con-1    Con     developer  active
            2   tester-verner-2    Verner  tester     active
            3   developer-gavin-3  Gavin   developer  archived

            """)
        let developers = try cli("persona", "list", "--role", "developer", "--status", "active", "--format", "json")
        let rows = try JSONSerialization.jsonObject(with: Data(developers.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 1)
        #expect(rows?.first?["slug"] as? String == "developer-con-1")
        #expect(rows?.first?["role"] as? String == "developer")
        #expect(rows?.first?["status"] as? String == "active")
        #expect(rows?.first?["description"] is NSNull)

        #expect(try cli("persona", "activate", "developer-gavin-3").stdout == "Activated developer-gavin-3\n")
        #expect(try database.query("SELECT status FROM persona WHERE id = 3").scalar == "active")
    }

    @Test("unknown role: one error line, nothing inserted")
    func unknownRole() throws {
        expectOneErrorLine(try cli("persona", "add", "--role", "wizard", "--name", "Con"), containing: "unknown role \"wizard\"")
        #expect(try personaCount() == "0")
    }

    @Test("duplicate role name: one error line")
    func duplicateRole() throws {
        _ = try cli("role", "add", "developer")
        expectOneErrorLine(try cli("role", "add", "developer"), containing: "a role named \"developer\" already exists")
        #expect(try database.query("SELECT count(*) FROM role").scalar == "1")
    }

    @Test("blank names: one error line each")
    func blankNames() throws {
        expectOneErrorLine(try cli("role", "add", "  "), containing: "a role name must not be blank")
        _ = try cli("role", "add", "developer")
        expectOneErrorLine(try cli("persona", "add", "--role", "developer", "--name", ""), containing: "a persona name must not be blank")
        #expect(try personaCount() == "0")
    }

    @Test("over-long names, 10,000 characters: one error line")
    func overLongName() throws {
        _ = try cli("role", "add", "developer")
        let huge = String(repeating: "n", count: 10_000)
        let run = try cli("persona", "add", "--role", "developer", "--name", huge)
        expectOneErrorLine(run, containing: "a persona name is at most 100 characters (this one has 10000)")
        #expect(run.stderr.count < 300)
        expectOneErrorLine(try cli("role", "add", huge), containing: "a role name is at most 64 characters")
        #expect(try personaCount() == "0")
    }

    @Test("names with a newline are refused; the message stays one line")
    func controlCharacters() throws {
        _ = try cli("role", "add", "developer")
        expectOneErrorLine(try cli("persona", "add", "--role", "developer", "--name", "Con\nrm -rf /"),
                           containing: "must not contain control characters")
    }

    @Test("names with /, .., quotes and emoji are stored as given with a safe slug")
    func hostileNamesAccepted() throws {
        _ = try cli("role", "add", "developer")
        for (name, slug) in [("../../etc", "developer-etc-1"), ("O'Brien \"Bob\"", "developer-o-brien-bob-2"), ("🙂", "developer-persona-3")] {
            let run = try cli("persona", "add", "--role", "developer", "--name", name)
            #expect(run.status == 0)
            #expect(run.stdout.contains(" as \(slug)\n"))
        }
        #expect(try database.query("SELECT name FROM persona ORDER BY id").rows.map { $0[0]! } == ["../../etc", "O'Brien \"Bob\"", "🙂"])
        #expect(try tree.entries().isEmpty, "persona add does not write into the tree")
    }

    @Test("archiving or activating an unknown slug: one error line")
    func unknownSlug() throws {
        expectOneErrorLine(try cli("persona", "archive", "developer-nobody-9"), containing: "no persona has the slug \"developer-nobody-9\"")
        expectOneErrorLine(try cli("persona", "activate", "../x"), containing: "no persona has the slug \"../x\"")
    }

    @Test("a bad --status value is refused by the argument parser")
    func badStatus() throws {
        let run = try cli("persona", "list", "--status", "deleted")
        #expect(run.status != 0)
        #expect(run.stderr.contains("deleted"))
    }

    @Test("no database: one error line naming the cause, no password shown")
    func noDatabase() throws {
        let run = try BinaryRunner.run(["role", "list", "--database-url", "postgresql://u:hunter2@127.0.0.1:1/x"])
        expectOneErrorLine(run, containing: "cannot connect to PostgreSQL")
        #expect(!run.stderr.contains("hunter2"))
    }
}
