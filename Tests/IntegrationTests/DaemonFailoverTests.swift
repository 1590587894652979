import Foundation
import RegistryCore
import RegistryDatabase
import RegistrySystem
import Testing
import TestSupport

@Suite("serve: failover to a promoted standby")
struct DaemonFailoverTests: DaemonFixture {
    @Test("a multi-host URL with target_session_attrs=read-write skips a standby listed first, then follows it once promoted")
    func followsPromotedStandby() throws {
        let cluster = try ThrowawayCluster()
        try cluster.migrate(seeding: TestDatabase.insertingRole("developer", personas: ["Con"]))
        let standby = try cluster.startStandby()
        let hosts = "postgresql://postgres@127.0.0.1:\(ThrowawayCluster.port(of: standby)),"
            + "127.0.0.1:\(cluster.port)/persona_registry?target_session_attrs=read-write"
        let tree = try TemporaryTree()
        let daemon = try Self.started(url: hosts, tree)
        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") }, "\(daemon.log)")
        #expect(daemon.logLines(containing: "standby").isEmpty, "the standby first in the list is skipped, not refused: \(daemon.log)")

        try cluster.stop()
        #expect(daemon.waitFor(.connectionLost), "\(daemon.log)")
        try cluster.promoteStandby()
        let promoted = try PostgresConnection(url: standby)
        #expect(try promoted.query("SELECT pg_is_in_recovery()").scalar == "f")
        let slug = try promoted.query("INSERT INTO persona (name, role_id) VALUES ('after', 1) RETURNING slug").scalar ?? ""
        #expect(waitUntil(timeout: 90) { tree.exists(slug + "/identity.yaml") }, "\(slug): \(daemon.log)")
        #expect(daemon.lines(.connected).count == 2, "\(daemon.log)")
        #expect(daemon.process.isRunning)
    }

    @Test("a multi-host URL whose first host drops every packet: that host gets its own connect_timeout, then the next one serves")
    func skipsBlackHoledFirstHost() throws {
        let blackHole = try BlackHole()
        let database = try TestDatabase()
        // The test server's URL with the silent host put first: postgresql://user@A:PA,B:PB/db?...
        let scheme = try #require(database.url.range(of: "://"))
        let authorityStart = database.url[scheme.upperBound...].lastIndex(of: "@").map { database.url.index(after: $0) }
            ?? scheme.upperBound
        var hosts = database.url
        hosts.insert(contentsOf: "\(blackHole.address):\(blackHole.port),", at: authorityStart)
        hosts += (hosts.contains("?") ? "&" : "?") + "target_session_attrs=read-write"
        let tree = try TemporaryTree()
        let daemon = try DaemonProcess(database: database, tree: tree, databaseURL: hosts)
        // After the first host's 5 s (the daemon's connect_timeout). With one deadline for the whole
        // attempt, every attempt ends still waiting on the first host, and this never comes.
        #expect(daemon.waitFor(.connected), "\(daemon.log)")
        try database.insertRole("developer", personas: "Con")
        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") }, "\(daemon.log)")
        #expect(daemon.process.isRunning, "\(daemon.log)")
        withExtendedLifetime(blackHole) {}
    }
}
