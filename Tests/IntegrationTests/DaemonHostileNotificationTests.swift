import Foundation
import Testing
import TestSupport
import RegistryCore
import RegistryDatabase

/// NOTIFY needs no privilege: anyone who can connect can send on `persona_registry`.
/// A notification is a hint, confirmed from the tables; junk costs at most one sweep
/// per `--junk-sweep-interval`.
@Suite("serve: notifications from anyone who can connect")
struct DaemonHostileNotificationTests: DaemonFixture {
    /// A login role with nothing but CONNECT on the test's database, dropped when the value goes away.
    final class ConnectOnlyRole: @unchecked Sendable {
        let name = "pr_forger_\(UInt32.random(in: 0...UInt32.max))"
        let url: String

        init(database: TestDatabase) throws {
            let admin = try PostgresConnection(url: TestServer.adminURL())
            try admin.execute("CREATE ROLE \(name) LOGIN; GRANT CONNECT ON DATABASE \(database.name) TO \(name)")
            // The same server and database as the test's, as this role (the throwaway cluster trusts local logins).
            let base = database.url
            let schemeEnd = base.range(of: "://")!.upperBound
            let hostStart = base[schemeEnd...].firstIndex(of: "@").map { base.index(after: $0) } ?? schemeEnd
            url = String(base[..<schemeEnd]) + name + "@" + String(base[hostStart...])
        }

        deinit {
            if let admin = try? PostgresConnection(url: TestServer.adminURL()) {
                try? admin.execute("DROP OWNED BY \(name); DROP ROLE IF EXISTS \(name)")
            }
        }

        /// Sends `payload` on the daemon's channel as this role.
        func notify(_ payload: String, on connection: PostgresConnection) throws {
            try connection.query("SELECT pg_notify($1, $2)", [RegistryNotification.channel, payload])
        }
    }

    @Test("a forged delete of a live persona, a forged insert and a forged role rename change nothing; real ones still do")
    func forgedNotificationsAreConfirmedFromTheTables() throws {
        let (database, tree, daemon, slug) = try Self.startedWithPersona(role: "developer", name: "Con")
        let forger = try ConnectOnlyRole(database: database)
        let connection = try PostgresConnection(url: forger.url)
        // The role can read nothing: it is the privilege-free sender the issue describes.
        #expect(postgresError { try connection.query("SELECT 1 FROM persona") }?.code == .insufficientPrivilege)
        try forger.notify(#"{"table":"persona","op":"delete","id":1}"#, on: connection)
        try forger.notify(#"{"table":"persona","op":"insert","id":999}"#, on: connection)
        try forger.notify(#"{"table":"role","op":"update","id":1}"#, on: connection)
        // A real insert after them: once its directory exists, the forged ones were handled.
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Later', 1)")
        #expect(waitUntil { tree.exists("developer-later-2/identity.yaml") }, "\(daemon.log)")
        #expect(daemon.lines(.finding, with: "kind=orphan_directory").isEmpty, "\(daemon.log)")
        #expect(daemon.lines(.personaDeleted).isEmpty, "\(daemon.log)")
        #expect(daemon.lines(.roleRenamed).isEmpty, "\(daemon.log)")
        #expect(daemon.logLines(containing: "id=999").isEmpty, "\(daemon.log)")
        #expect(tree.exists(slug + "/identity.yaml"))

        // What the tables say is still done: a real rename, then a real delete.
        try database.execute("UPDATE role SET name = 'engineer' WHERE id = 1")
        #expect(waitUntil { (try? tree.read(slug + "/identity.yaml"))?.contains("role: engineer") == true }, "\(daemon.log)")
        #expect(daemon.waitFor(.roleRenamed), "\(daemon.log)")
        #expect(daemon.lines(.roleRenamed).first?.contains("from=developer") == true, "\(daemon.log)")
        try database.execute("DELETE FROM persona WHERE id = 1")
        #expect(daemon.waitFor(.personaDeleted), "\(daemon.log)")
        #expect(daemon.waitFor(.finding, with: "kind=orphan_directory"), "\(daemon.log)")
        #expect(daemon.lines(.finding, with: "kind=orphan_directory").allSatisfy { $0.contains("slug=\(slug)") }, "\(daemon.log)")
    }

    @Test("a rename a periodic check only reported is still done when its notification comes")
    func renameSeenFirstByACheckIsStillApplied() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        let daemon = try Self.started(database, tree, arguments: ["--sweep-interval", "1"])
        // Renamed without a notification: the periodic check sees it and only reports it.
        try database.execute("""
            ALTER TABLE role DISABLE TRIGGER persona_registry_notify_rename;
            UPDATE role SET name = 'engineer' WHERE id = 1;
            ALTER TABLE role ENABLE TRIGGER persona_registry_notify_rename;
            """)
        #expect(daemon.waitFor(.finding, with: "kind=identity_mismatch"), "\(daemon.log)")
        #expect(try tree.read("developer-con-1/identity.yaml").contains("role: developer"))
        // The rename's notification (late, or sent by anyone) is confirmed by the table and done.
        let forger = try ConnectOnlyRole(database: database)
        try forger.notify(#"{"table":"role","op":"update","id":1}"#, on: PostgresConnection(url: forger.url))
        #expect(waitUntil { (try? tree.read("developer-con-1/identity.yaml"))?.contains("role: engineer") == true }, "\(daemon.log)")
        #expect(daemon.lines(.roleRenamed).count == 1, "\(daemon.log)")
        #expect(daemon.lines(.roleRenamed).first?.contains("to=engineer") == true, "\(daemon.log)")
    }

    @Test("a forged delete leaves STATUS= as it was: the persona is still counted, no finding")
    func forgedDeleteLeavesStatus() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("pm", personas: "Gavin")
        let (listener, daemon, ready) = try Self.startedNotifying(database, tree)
        let healthy = "STATUS=1 personas (1 active), 0 findings, listening"
        #expect(ready.contains(healthy), "\(ready)\n\(daemon.log)")
        let forger = try ConnectOnlyRole(database: database)
        let connection = try PostgresConnection(url: forger.url)
        try forger.notify(#"{"table":"persona","op":"delete","id":1}"#, on: connection)
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Later', 1)")
        #expect(waitUntil { tree.exists("pm-later-2/identity.yaml") }, "\(daemon.log)")
        let expected = "STATUS=2 personas (2 active), 0 findings, listening"
        #expect(listener.waitFor { NotifySocketListener.has($0, expected) } != nil, "\(listener.messages)")
        let statuses = listener.messages.flatMap { $0.split(separator: "\n") }.filter { $0.hasPrefix("STATUS=") && $0.contains("personas") }
        #expect(statuses.allSatisfy { $0 == healthy || $0 == expected }, "\(statuses)\n\(daemon.log)")
    }

    @Test("a flood of junk notifications costs at most one sweep and one warning per --junk-sweep-interval")
    func junkFloodIsBounded() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personasNamed: "n", count: 50)
        let interval = 2.0
        let daemon = try Self.started(database, tree, arguments: ["--junk-sweep-interval", "2"])
        let forger = try ConnectOnlyRole(database: database)
        let connection = try PostgresConnection(url: forger.url)
        let sweepsBefore = daemon.lines(.sweepFinished).count
        // Five a second for six seconds: junk, unknown tables, a payload of another shape.
        let payloads = ["junk", #"{"table":"persona","op":"truncate","id":1}"#, #"{"table":"audit","op":"insert","id":1}"#, "{}", "\u{1b}[31m"]
        let started = Date()
        for round in 0..<30 {
            try forger.notify(payloads[round % payloads.count], on: connection)
            usleep(200_000)  // the flood's pace, not a wait for the daemon
        }
        let flood = Date().timeIntervalSince(started)
        // The flood's last junk is owed one sweep, at most an interval after the last one began.
        let bound = Int((flood / interval).rounded(.up)) + 1
        #expect(waitUntil { daemon.lines(.sweepFinished).count > sweepsBefore }, "\(daemon.log)")
        // A real insert after the flood, handled in order: the junk did not stop the daemon.
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Later', 1)")
        #expect(waitUntil { tree.exists("developer-later-51/identity.yaml") }, "\(daemon.log)")
        // An upper bound holds at any moment: the sweep still owed to the flood's last junk
        // (at most one) is within it.
        let sweeps = daemon.lines(.sweepFinished).count - sweepsBefore
        #expect(sweeps >= 1 && sweeps <= bound, "\(sweeps) sweeps for \(flood) s of junk, at most \(bound) allowed:\n\(daemon.log)")
        let warnings = daemon.lines(.junkIgnored)
        #expect(warnings.count >= 1 && warnings.count <= bound, "\(warnings.count) warnings:\n\(daemon.log)")
        // The payload is shown escaped, never as a raw control character.
        #expect(!daemon.log.contains("\u{1b}"), "\(daemon.log)")
    }

    @Test("a forged id no integer column holds is junk: no failed batch, no repairing sweep; a real insert beside it is done")
    func forgedOutOfRangeIDIsJunk() throws {
        let (database, tree, daemon, _) = try Self.startedWithPersona(role: "developer", name: "Con")
        let forger = try ConnectOnlyRole(database: database)
        let connection = try PostgresConnection(url: forger.url)
        let sweepsBefore = daemon.lines(.sweepFinished).count
        for id in ["2147483648", "-2147483649", "9223372036854775807"] {
            try forger.notify(#"{"table":"persona","op":"update","id":\#(id)}"#, on: connection)
        }
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Later', 1)")
        #expect(waitUntil { tree.exists("developer-later-2/identity.yaml") }, "\(daemon.log)")
        #expect(daemon.waitFor(.junkIgnored), "\(daemon.log)")
        #expect(daemon.lines(.notificationsFailed).isEmpty, "\(daemon.log)")
        // Junk's one sweep is a check, never the repairing one a failed batch is owed.
        #expect(daemon.lines(.sweepFinished).dropFirst(sweepsBefore).allSatisfy { !$0.contains("policy=repair") }, "\(daemon.log)")
    }
}
