import Foundation
import Testing
import RegistryDatabase
import TestSupport

/// The status while a sweep waits and when its connection goes: `sweeping` while the sweep's
/// query is out, `waiting_for_postgresql` once the connection is lost under it, so that
/// `reload` (systemd's ExecReload=) returns at once instead of waiting out its timeout.
@Suite("status: a connection lost under a sweep")
struct ServiceStatusOutageTests: DaemonFixture {
    static func state(_ tree: TemporaryTree) -> String {
        let text = (try? BinaryRunner.run(["status", "--data-dir", tree.tree]))?.stdout ?? ""
        return text.split(separator: "\n").first { $0.hasPrefix("state: ") }.map { String($0.dropFirst(7)) } ?? ""
    }

    @Test("sweeping while the reload's sweep waits on a lock; waiting_for_postgresql when its connection is cut; reload returns at once")
    func lostUnderASweep() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        let daemon = try Self.started(database, tree)
        let blocker = try database.connect()
        try blocker.execute("BEGIN; LOCK TABLE persona IN ACCESS EXCLUSIVE MODE")
        let blockerPID = try #require(try blocker.query("SELECT pg_backend_pid()").scalar)
        daemon.signal(SIGHUP)
        #expect(waitUntil(timeout: 10) { Self.state(tree) == "sweeping" }, "\(Self.state(tree))\n\(daemon.log)")
        let admin = try PostgresConnection(url: TestServer.adminURL())
        try admin.execute("ALTER DATABASE \(database.name) ALLOW_CONNECTIONS false")
        defer { try? admin.execute("ALTER DATABASE \(database.name) ALLOW_CONNECTIONS true") }
        _ = try admin.query("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = $1 AND application_name = 'persona-registry' AND pid <> $2::int
            """, [database.name, blockerPID])
        #expect(waitUntil(timeout: 10) { Self.state(tree) == "waiting_for_postgresql" }, "\(Self.state(tree))\n\(daemon.log)")
        let started = Date()
        let reload = try BinaryRunner.run(["reload", "--data-dir", tree.tree, "--wait-seconds", "20"])
        #expect(reload.status == 0 && reload.stdout.contains("PostgreSQL is not reachable"), "\(reload.stdout)\(reload.stderr)")
        #expect(Date().timeIntervalSince(started) < 5)
        try admin.execute("ALTER DATABASE \(database.name) ALLOW_CONNECTIONS true")
        try blocker.execute("ROLLBACK")
        #expect(waitUntil(timeout: 30) { Self.state(tree) == "connected" }, "\(daemon.log)")
    }
}
