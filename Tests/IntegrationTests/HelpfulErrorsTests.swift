import Foundation
import Testing
import TestSupport

/// Errors that say what to do: a role that does not exist, a connection nothing configured,
/// and the line that says a daemon is ready.
@Suite("errors and lines that say what to do")
struct HelpfulErrorsTests: DaemonFixture {
    @Test("persona list --role with a role that does not exist says so, as persona add does; an existing empty role lists nothing")
    func listUnknownRole() throws {
        let database = try TestDatabase()
        try database.insertRole("developer")
        let unknown = try BinaryRunner.run(["persona", "list", "--role", "wizard", "--database-url", database.url])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.split(separator: "\n").count == 1 && unknown.stderr.contains("unknown role \"wizard\""), "\(unknown.stderr)")
        let empty = try BinaryRunner.run(["persona", "list", "--role", "developer", "--database-url", database.url])
        #expect(empty.status == 0, "\(empty.stderr)")
    }

    @Test("with nothing configured, the connection error says how to name a server")
    func nothingConfigured() throws {
        let run = try BinaryRunner.run(["role", "list"])
        #expect(run.status == 1)
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("cannot connect to PostgreSQL"), "\(run.stderr)")
        #expect(run.stderr.contains("name a server with --database-url URL or DATABASE_URL=URL"), "\(run.stderr)")
        let configured = try BinaryRunner.run(["role", "list", "--database-url", "postgresql://nobody@127.0.0.1:1/none"])
        #expect(configured.status == 1 && !configured.stderr.contains("nothing configured"), "\(configured.stderr)")
    }

    @Test("the daemon logs event=ready once, when it first tells systemd READY=1")
    func readyLine() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree)
        try #require(daemon.waitFor(.ready), "\(daemon.log)")
        try database.insertRole("developer", personas: "Con")
        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") })
        daemon.signal(SIGHUP)
        #expect(daemon.waitFor(.reloaded), "\(daemon.log)")
        #expect(daemon.lines(.ready).count == 1, "\(daemon.log)")
    }
}
