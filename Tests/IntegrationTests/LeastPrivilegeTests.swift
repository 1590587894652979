import Foundation
import Testing
import TestSupport
import RegistryDatabase

/// The daemon's and the CLI's database users, given exactly what
/// `persona-registry grants` prints, against the real server: each works, and
/// each fails in one line naming the right table when one grant is missing.
@Suite("least privilege: the printed grants, two real users")
struct LeastPrivilegeTests: DaemonFixture {
    let database: TestDatabase
    let tree: TemporaryTree
    let daemonUser = "pr_daemon_\(UInt32.random(in: 0...UInt32.max))"
    let cliUser = "pr_cli_\(UInt32.random(in: 0...UInt32.max))"
    let users: Users

    /// Drops the two users (their grants first) when the test ends.
    final class Users: @unchecked Sendable {
        let database: TestDatabase
        let names: [String]
        init(database: TestDatabase, names: [String]) {
            self.database = database
            self.names = names
        }
        deinit {
            let list = names.joined(separator: ", ")
            try? database.execute("DROP OWNED BY \(list); DROP ROLE \(list)")
        }
    }

    init() throws {
        database = try TestDatabase()
        tree = try TemporaryTree()
        users = Users(database: database, names: [daemonUser, cliUser])
        try database.execute("CREATE ROLE \(daemonUser) LOGIN PASSWORD 'daemon-pw'; CREATE ROLE \(cliUser) LOGIN PASSWORD 'cli-pw'")
        // Nothing through PUBLIC: every privilege the users have is one the script grants.
        try database.execute("REVOKE ALL ON DATABASE \(database.name) FROM PUBLIC; REVOKE ALL ON SCHEMA public FROM PUBLIC")
        let script = try BinaryRunner.run(["grants", "--database", database.name, "--daemon-user", daemonUser, "--cli-user", cliUser])
        #expect(script.status == 0, "\(script.stderr)")
        try database.execute(script.stdout)
    }

    /// The test database's URL with `user` in place of the superuser.
    func url(user: String, password: String) -> String {
        let scheme = database.url.range(of: "://")!
        let rest = database.url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let host = rest[..<authorityEnd].split(separator: "@").last ?? ""
        return database.url[..<scheme.upperBound] + "\(user):\(password)@" + host + rest[authorityEnd...]
    }

    func run(as user: String, _ arguments: String...) throws -> RunResult {
        let password = user == daemonUser ? "daemon-pw" : "cli-pw"
        return try BinaryRunner.run(arguments, environment: [
            "DATABASE_URL": url(user: user, password: password), "PERSONA_DATA_DIR": tree.tree,
            "PERSONA_TEMPLATES_DIR": tree.templates])
    }

    func expectOneErrorLine(_ run: RunResult, naming table: String, needs: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 1, "exit status \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.split(separator: "\n").count == 1, "stderr: \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains("permission denied for table \(table): "), "stderr: \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(needs), "stderr: \(run.stderr)", sourceLocation: sourceLocation)
    }

    @Test("docs/operating.md shows exactly what `grants` prints with its defaults")
    func operatingShowsTheGrants() throws {
        let printed = try BinaryRunner.run(["grants"])
        #expect(printed.status == 0)
        let statements = printed.stdout.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.hasPrefix("--") || $0.isEmpty }
        let operating = try String(contentsOfFile: Repository.root + "/docs/operating.md", encoding: .utf8)
        #expect(statements.count > 10)
        #expect(operating.contains(statements.joined(separator: "\n") + "```"),
                "docs/operating.md's Database role section differs from:\n\(printed.stdout)")
    }

    @Test("the URLs carry the test users, not the superuser")
    func urlsNameTheUsers() throws {
        let whoami = try PostgresConnection(url: url(user: cliUser, password: "cli-pw")).query("SELECT current_user").scalar
        #expect(whoami == cliUser)
    }

    @Test("the CLI's user runs every command with the printed grants, no grant on a sequence included")
    func cliWorks() throws {
        #expect(try run(as: cliUser, "role", "add", "developer").status == 0)
        let add = try run(as: cliUser, "persona", "add", "--role", "developer", "--name", "Con")
        #expect(add.status == 0, "\(add.stderr)")
        #expect(try run(as: cliUser, "persona", "archive", "developer-con-1").status == 0)
        #expect(try run(as: cliUser, "persona", "activate", "developer-con-1").status == 0)
        #expect(try run(as: cliUser, "role", "list").stdout.contains("developer"))
        #expect(try run(as: cliUser, "persona", "list").stdout.contains("developer-con-1"))
        let reconcile = try run(as: cliUser, "reconcile")
        #expect(reconcile.status == 0, "\(reconcile.stdout)\(reconcile.stderr)")
        #expect(try run(as: cliUser, "drift").status == 0)
        // The daemon's user reads but cannot write.
        expectOneErrorLine(try run(as: daemonUser, "role", "add", "tester"), naming: "role",
                           needs: "role add needs SELECT on role, SELECT on persona, INSERT (name, description) on role")
    }

    @Test("the CLI's user without one grant: one line naming the table PostgreSQL refused")
    func cliFailsClearly() throws {
        try database.insertRole("developer", personas: "Con")
        try database.execute("REVOKE SELECT ON role FROM \(cliUser)")
        expectOneErrorLine(try run(as: cliUser, "role", "list"), naming: "role", needs: "role list needs SELECT on role, SELECT on persona")
        expectOneErrorLine(try run(as: cliUser, "persona", "list"), naming: "role", needs: "persona list needs SELECT on role")
        try database.execute("GRANT SELECT ON role TO \(cliUser); REVOKE SELECT ON persona FROM \(cliUser)")
        expectOneErrorLine(try run(as: cliUser, "drift"), naming: "persona", needs: "drift needs SELECT on role, SELECT on persona")
        try database.execute("GRANT SELECT ON persona TO \(cliUser); REVOKE INSERT ON persona FROM \(cliUser)")
        expectOneErrorLine(try run(as: cliUser, "persona", "add", "--role", "developer", "--name", "Ann"), naming: "persona",
                           needs: "INSERT (name, description, role_id) on persona")
        try database.execute("REVOKE UPDATE ON persona FROM \(cliUser)")
        expectOneErrorLine(try run(as: cliUser, "persona", "archive", "developer-con-1"), naming: "persona",
                           needs: "UPDATE (status) on persona")
        #expect(try database.query("SELECT count(*) || ' ' || min(status) FROM persona").scalar == "1 active")
    }

    @Test("the daemon's user: serve sweeps and drift reports with the printed grants")
    func daemonWorks() throws {
        try database.insertRole("developer", personas: "Con")
        let daemon = try Self.started(url: url(user: daemonUser, password: "daemon-pw"), tree)
        #expect(tree.exists("developer-con-1/identity.yaml"))
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Ann', 1)")
        #expect(waitUntil(timeout: 10) { tree.exists("developer-ann-2/identity.yaml") })
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        let drift = try run(as: daemonUser, "drift")
        #expect(drift.status == 0, "\(drift.stdout)\(drift.stderr)")
    }

    @Test("the daemon's user without SELECT on role: serve and drift fail in one line naming role")
    func daemonFailsClearly() throws {
        try database.execute("REVOKE SELECT ON role FROM \(daemonUser)")
        expectOneErrorLine(try run(as: daemonUser, "drift"), naming: "role", needs: "drift needs SELECT on role, SELECT on persona")
        let daemon = try Self.refused(url: url(user: daemonUser, password: "daemon-pw"), tree)
        let refusals = daemon.logLines(containing: "permission denied for table role: serve needs SELECT on role, SELECT on persona")
        #expect(refusals.count == 1, "log: \(daemon.log)")
        #expect(!daemon.log.contains("persona table"), "log: \(daemon.log)")
    }
}
