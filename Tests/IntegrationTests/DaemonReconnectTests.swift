import Foundation
import Testing
import TestSupport
import RegistryDatabase

@Suite("serve: the database goes away and comes back")
struct DaemonReconnectTests: DaemonFixture {
    /// The daemon runs as a login role of its own, so the test can hold it off
    /// (NOLOGIN) after the restart: the rows below are certainly inserted while
    /// it is disconnected and not listening, and only the reconnect sweep can
    /// find them.
    @Test("pg_ctl restart while serving, rows inserted while the daemon is disconnected: every persona gets its directory")
    func survivesServerRestart() throws {
        let cluster = try ThrowawayCluster()
        let migrated = try BinaryRunner.run(["migrate", "up", "--database-url", cluster.url])
        try #require(migrated.status == 0, "\(migrated.stderr)")
        let setup = try PostgresConnection(url: cluster.url)
        try setup.execute("""
            CREATE ROLE registry_daemon LOGIN;
            GRANT SELECT ON role, persona TO registry_daemon;
            INSERT INTO role (name) VALUES ('developer');
            INSERT INTO persona (name, role_id) VALUES ('before', 1);
            """)
        let daemonURL = cluster.url.replacingOccurrences(of: "postgresql://postgres@", with: "postgresql://registry_daemon@")
        let tree = try TemporaryTree()
        let daemon = try Self.started(url: daemonURL, tree)
        #expect(waitUntil { tree.exists("developer-before-1/identity.yaml") }, "\(daemon.log)")

        try setup.execute("ALTER ROLE registry_daemon NOLOGIN")
        try cluster.restart()
        #expect(daemon.waitFor(.connectionLost), "\(daemon.log)")
        let during = try PostgresConnection(url: cluster.url)
        try during.execute("INSERT INTO persona (name, role_id) SELECT 'outage' || g, 1 FROM generate_series(1, 20) AS g")
        #expect(daemon.waitFor(.connectFailed), "\(daemon.log)")
        try during.execute("ALTER ROLE registry_daemon LOGIN")

        let slugs = try during.query("SELECT slug FROM persona ORDER BY id").rows.map { $0[0]! }
        #expect(slugs.count == 21)
        #expect(waitUntil(timeout: 90) { slugs.allSatisfy { tree.exists($0 + "/identity.yaml") } }, "\(daemon.log)")
        #expect(daemon.lines(.connected).count == 2, "\(daemon.log)")
        #expect(waitUntil { daemon.lines(.sweepFinished).last?.contains("created=20") == true },
                "the reconnect sweep created them:\n\(daemon.log)")
        #expect(daemon.lines(.connectFailed).count >= 1, "\(daemon.log)")
        // And it listens again: a row inserted now arrives by notification.
        try during.execute("INSERT INTO persona (name, role_id) VALUES ('later', 1)")
        #expect(waitUntil { tree.exists("developer-later-22/identity.yaml") }, "\(daemon.log)")
        #expect(daemon.process.isRunning)
    }
}

@Suite("serve: a read-only standby is refused")
struct DaemonStandbyTests {
    @Test("serve against a hot standby exits 1 with one clear error line and writes nothing")
    func standbyRefused() throws {
        let cluster = try ThrowawayCluster()
        try cluster.migrate(seeding: TestDatabase.insertingRole("developer", personas: ["Con"]))
        let standby = try cluster.startStandby()
        #expect(try PostgresConnection(url: standby).query("SELECT pg_is_in_recovery()").scalar == "t")
        let tree = try TemporaryTree()
        let run = try BinaryRunner.run(["serve", "--database-url", standby, "--data-dir", tree.tree,
                                        "--templates-dir", tree.templates])
        #expect(run.status == 1, "\(run.stderr)")
        // Lines are "<timestamp> <level>: message"; anything above info counts.
        let errors = run.stderr.split(separator: "\n").filter { line in
            ["warning", "error", "critical"].contains { line.contains(" \($0): ") }
        }
        #expect(errors.count == 1, "exactly one error line: \(run.stderr)")
        #expect(errors.first?.contains("read-only standby") == true, "\(run.stderr)")
        #expect(!run.stderr.contains("\n\n"), "one clear line: \(run.stderr)")
        #expect(try tree.entries().filter { !$0.hasPrefix(".") }.isEmpty, "nothing written from a standby")
    }
}
