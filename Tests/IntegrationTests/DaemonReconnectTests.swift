import Foundation
import PersonaRegistry
import Testing

@Suite("serve: the database goes away and comes back")
struct DaemonReconnectTests {
    @Test("pg_ctl restart while serving, rows inserted before the daemon is back: every persona gets its directory")
    func survivesServerRestart() throws {
        let cluster = try ThrowawayCluster()
        let migrated = try BinaryRunner.run(["migrate", "up", "--database-url", cluster.url])
        try #require(migrated.status == 0, "\(migrated.stderr)")
        let tree = try TempTree()
        let setup = try PostgresConnection(url: cluster.url)
        try setup.execute("INSERT INTO role (name) VALUES ('developer'); INSERT INTO persona (name, role_id) VALUES ('before', 1)")
        let database = try TestDatabase()  // unused by the daemon; keeps DaemonProcess's signature
        let daemon = try DaemonProcess(database: database, tree: tree, databaseURL: cluster.url)
        #expect(waitUntil { tree.exists("developer-before-1/identity.yaml") }, "\(daemon.log)")

        try cluster.restart()
        // The daemon's connection is gone; insert at once, before it has reconnected and listens again.
        let after = try PostgresConnection(url: cluster.url)
        try after.execute("INSERT INTO persona (name, role_id) SELECT 'outage' || g, 1 FROM generate_series(1, 20) AS g")
        #expect(daemon.waitForLog("lost the connection to PostgreSQL"), "\(daemon.log)")
        let slugs = try after.query("SELECT slug FROM persona ORDER BY id").rows.map { $0[0]! }
        #expect(slugs.count == 21)
        #expect(waitUntil(timeout: 60) { slugs.allSatisfy { tree.exists($0 + "/identity.yaml") } }, "\(daemon.log)")
        #expect(daemon.logLines(containing: "connected to PostgreSQL and listening").count >= 2, "\(daemon.log)")
        print("after the restart:", daemon.logLines(containing: "sweep finished").last ?? "no sweep")
        // And it listens again: a row inserted now arrives by notification.
        try after.execute("INSERT INTO persona (name, role_id) VALUES ('later', 1)")
        #expect(waitUntil { tree.exists("developer-later-22/identity.yaml") }, "\(daemon.log)")
        #expect(daemon.process.isRunning)
    }
}
