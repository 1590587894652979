import Foundation
import Testing

/// `persona-registry grants` for users whose names are SQL key words, run
/// against the real server: every statement applies and grants what it says.
@Suite("grants: users named like SQL key words")
struct GrantsKeywordUserTests {
    @Test("a user named `analyse` (a reserved word) gets exactly the CLI's grants")
    func reservedWordUser() throws {
        let database = try TestDatabase()
        // Roles are the cluster's: a name no other test uses, dropped whatever happens.
        let user = "analyse"
        try? database.execute("DROP OWNED BY \"\(user)\"; DROP ROLE IF EXISTS \"\(user)\"")
        try database.execute("CREATE ROLE \"\(user)\"")
        defer { try? database.execute("DROP OWNED BY \"\(user)\"; DROP ROLE \"\(user)\"") }
        let script = try BinaryRunner.run(["grants", "--database", database.name, "--daemon-user", user, "--cli-user", user])
        #expect(script.status == 0, "\(script.stderr)")
        try database.execute(script.stdout)
        let granted = try database.query("""
            SELECT has_table_privilege('\(user)', 'persona', 'SELECT')::text || ' '
                || has_column_privilege('\(user)', 'persona', 'status', 'UPDATE')::text
            """).scalar
        #expect(granted == "true true")
    }

    @Test("an empty or over-long name is a usage error, not a script PostgreSQL reads otherwise")
    func badNames() throws {
        for arguments in [["--cli-user", ""], ["--daemon-user", String(repeating: "a", count: 64)], ["--database", "a\u{1b}b"]] {
            let run = try BinaryRunner.run(["grants"] + arguments)
            #expect(run.status == 64, "\(arguments): \(run.stdout)")
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.contains("must be 1 to 63 bytes without control characters"), "\(run.stderr)")
        }
    }

    @Test("run through psql as docs/operating.md says, a script naming a user that does not exist grants nothing")
    func allOrNothing() throws {
        let database = try TestDatabase()
        let daemonUser = "pr_daemon_\(UInt32.random(in: 0...UInt32.max))"
        try database.execute("CREATE ROLE \(daemonUser)")
        defer { try? database.execute("DROP OWNED BY \(daemonUser); DROP ROLE \(daemonUser)") }
        let script = try BinaryRunner.run(["grants", "--database", database.name, "--daemon-user", daemonUser,
                                           "--cli-user", "pr_nobody_\(UInt32.random(in: 0...UInt32.max))"])
        #expect(script.status == 0, "\(script.stderr)")
        let input = NSTemporaryDirectory() + "grants-\(UInt32.random(in: 0...UInt32.max)).sql"
        try script.stdout.write(toFile: input, atomically: true, encoding: .utf8)
        defer { unlink(input) }
        let psql = try SpawnedCommand.run(PostgresTools.path("psql"), ["-X", "-q", "-d", database.url, "-f", input],
                                          environment: ["PATH": "/usr/bin:/bin"])
        #expect(psql.stdout.contains("does not exist"), "\(psql.stdout)")
        let granted = try database.query("SELECT has_table_privilege('\(daemonUser)', 'persona', 'SELECT')::text").scalar
        #expect(granted == "false")
    }
}
