import Foundation
import Testing
import TestSupport
import RegistryCore
import RegistryDatabase

/// The CLI on the host's layout: found in the database, no flag; the host's limits refused
/// in one line; the printed grants enough for two real users.
@Suite("the headspace layout: the commands")
struct HostCommandTests: MigrationFixture {
    static func adopted() throws -> TestDatabase {
        let database = try HostAdoptionTests.hostDatabase()
        let up = try BinaryRunner.run(["migrate", "up", "--database-url", database.url])
        try #require(up.status == 0, "\(up.stderr)")
        return database
    }

    func run(_ database: TestDatabase, _ arguments: String...) throws -> RunResult {
        try BinaryRunner.run(Array(arguments) + ["--database-url", database.url])
    }

    @Test("role and persona commands work on the host's tables; its name and slug lengths are refused in one line")
    func limits() throws {
        let database = try Self.adopted()
        let role = try run(database, "role", "add", "Tester")
        #expect(role.status == 0, "\(role.stderr)")
        let folded = try run(database, "role", "add", "TESTER!")
        #expect(folded.status == 1)
        #expect(folded.stderr.split(separator: "\n").count == 1, "\(folded.stderr)")
        #expect(folded.stderr.contains("Tester"), "\(folded.stderr)")

        let tooLong = try run(database, "persona", "add", "--role", "Tester", "--name", String(repeating: "a", count: 65), "--no-wait")
        #expect(tooLong.status == 1)
        #expect(tooLong.stderr.split(separator: "\n").count == 1)
        #expect(tooLong.stderr.contains("64"), "\(tooLong.stderr)")

        let longRole = String(repeating: "r", count: 64)
        #expect(try run(database, "role", "add", longRole).status == 0)
        let longSlug = try run(database, "persona", "add", "--role", longRole, "--name", String(repeating: "n", count: 64), "--no-wait")
        #expect(longSlug.status == 1)
        #expect(longSlug.stderr.split(separator: "\n").count == 1)
        #expect(longSlug.stderr.contains("personas.slug holds at most 128"), "\(longSlug.stderr)")

        let added = try run(database, "persona", "add", "--role", "Tester", "--name", "Ünïcode Name", "--no-wait")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("tester-n-code-name-"), "\(added.stdout)")
        let listed = try run(database, "persona", "list", "--format", "json")
        #expect(listed.stdout.contains("\"persona_type\" : \"person\""))
        #expect(listed.stdout.contains("\"slug\" : \"operator-sam-"))
        let archived = try run(database, "persona", "archive", try #require(try database.query(
            "SELECT slug FROM personas WHERE name = 'Con'").scalar))
        #expect(archived.status == 0, "\(archived.stderr)")
        #expect(try database.query("SELECT status FROM personas WHERE name = 'Con'").scalar == "archived")
    }

    @Test("grants, reading the layout and the database name from DATABASE_URL, is enough for a CLI user on the host's tables")
    func grantsForTheHost() throws {
        let database = try Self.adopted()
        let user = "pr_cli_\(UInt32.random(in: 0...UInt32.max))"
        defer { try? database.execute("DROP OWNED BY \(user); DROP ROLE \(user)") }
        try database.execute("CREATE ROLE \(user) LOGIN PASSWORD 'cli-pw'")
        try database.execute("REVOKE ALL ON DATABASE \(database.name) FROM PUBLIC; REVOKE ALL ON SCHEMA public FROM PUBLIC")
        let script = try BinaryRunner.run(["grants", "--cli-user", user, "--daemon-user", user],
                                          environment: ["DATABASE_URL": database.url])
        #expect(script.status == 0, "\(script.stderr)")
        #expect(script.stdout.contains("GRANT CONNECT ON DATABASE \(database.name) TO \(user);"))
        #expect(script.stdout.contains("GRANT USAGE ON SEQUENCE personas_id_seq TO \(user);"))
        #expect(script.stdout.contains("GRANT SELECT ON persona_types TO \(user);"))
        try database.execute(script.stdout)
        let url = database.url.replacing("postgres@", with: "\(user):cli-pw@")
        let environment = ["DATABASE_URL": url]
        #expect(try BinaryRunner.run(["role", "add", "reviewer"], environment: environment).status == 0)
        let added = try BinaryRunner.run(["persona", "add", "--role", "reviewer", "--name", "Rae", "--no-wait"], environment: environment)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try BinaryRunner.run(["persona", "list"], environment: environment).stdout.contains("reviewer-rae-"))
        let rae = try #require(try database.query("SELECT slug FROM personas WHERE name = 'Rae'").scalar)
        let archived = try BinaryRunner.run(["persona", "archive", rae], environment: environment)
        #expect(archived.status == 0, "\(archived.stderr)")
    }

    @Test("the host's slugify in SQL and in Swift agree, and match Python's rules on the host's own examples")
    func slugifyAgrees() throws {
        let database = try Self.adopted()
        let connection = try database.connect()
        let fixture = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Repository.slugInputs)))
        let inputs = ((fixture as? [String: Any])?["inputs"] as? [String] ?? []) + ["Zoë Straße", "日本", "Kelvin \u{212A}", "\u{0130}nce", "ÀÉÎ"]
        #expect(inputs.count > 10)
        for input in inputs {
            let sql = try connection.query("SELECT persona_registry_host_slugify($1)", [input]).scalar
            #expect(sql == Slug.hostPart(input), "\(input)")
            #expect(sql == HostSchema.slugify(input), "\(input)")
        }
        #expect(Slug.hostPart("Zoë Straße") == "zo-stra-e" && Slug.hostPart("日本") == "")
        #expect(Slug.isValid("developer--5", in: .headspace) && !Slug.isValid("developer--5", in: .prd))
        #expect(!Slug.isValid("_pending_0123456789ab", in: .headspace))
        #expect(!Slug.isValid(String(repeating: "a", count: 129), in: .headspace))
    }
}
