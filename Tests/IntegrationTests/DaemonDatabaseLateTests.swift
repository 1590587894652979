import Foundation
import Testing
import TestSupport
import RegistryDatabase

/// `serve` started while PostgreSQL is still down (a host booting, the server
/// started after the daemon): it waits, says so, and sweeps when it arrives;
/// while a mistake in its configuration ends it at once with one line.
@Suite("serve: PostgreSQL down at start-up")
struct DaemonDatabaseLateTests: DaemonFixture {
    @Test("serve started before its database: READY=1 with STATUS waiting, one warning, then in step once the server starts")
    func startsBeforeItsDatabase() throws {
        let cluster = try ThrowawayCluster()
        try cluster.migrate(seeding: TestDatabase.insertingRole("developer", personas: ["early"]))
        try cluster.stop()

        let tree = try TemporaryTree()
        let listener = try NotifySocketListener()
        let daemon = try DaemonProcess(url: cluster.url, tree: tree, environment: ["NOTIFY_SOCKET": listener.name])
        let ready = listener.waitFor { NotifySocketListener.has($0, "READY=1") }
        #expect(ready?.contains("STATUS=0 personas (0 active), 0 findings, waiting for PostgreSQL (") == true,
                "READY=1 at once, STATUS says what it waits for: \(ready ?? "none")\n\(daemon.log)")
        // Several attempts fail (each updates STATUS=), and the log says so once, not once per attempt.
        #expect(waitUntil { listener.messages.count { $0.contains("waiting for PostgreSQL") } >= 4 }, "\(daemon.log)")
        #expect(daemon.lines(.connectFailed).count == 1, "\(daemon.log)")
        #expect(daemon.process.isRunning)
        #expect(try tree.entries().filter { !$0.hasPrefix(".") }.isEmpty)

        try cluster.start()
        #expect(waitUntil(timeout: 60) { tree.exists("developer-early-1/identity.yaml") }, "\(daemon.log)")
        #expect(listener.waitFor(timeout: 60) { $0.contains("STATUS=1 personas (1 active), 0 findings, listening") } != nil,
                "\(listener.messages)\n\(daemon.log)")
        #expect(daemon.lines(.sweepFinished).first?.contains("created=1") == true, "\(daemon.log)")
        // Listening: a row inserted now arrives by notification.
        try PostgresConnection(url: cluster.url).execute("INSERT INTO persona (name, role_id) VALUES ('later', 1)")
        #expect(waitUntil { tree.exists("developer-later-2/identity.yaml") }, "\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0, "\(daemon.log)")
        #expect(listener.messages.count { NotifySocketListener.has($0, "READY=1") } == 1, "\(listener.messages)")
    }

    /// A wrong password (SQLSTATE 28P01), an unknown role (28000), an unknown
    /// database (3D000) and a URL libpq cannot parse are mistakes to fix, not
    /// outages to wait out: exit 1 with one line, before any retry.
    @Test("bad credentials, an unknown role or database, an unparseable URL: exit 1 at once with one clear line")
    func configurationMistakesFailFast() throws {
        let cluster = try ThrowawayCluster()
        let admin = try PostgresConnection(url: cluster.url)
        try admin.execute("CREATE ROLE registry_daemon LOGIN PASSWORD 'right'")
        // The throwaway cluster trusts every local connection: this role must give its password.
        let hba = cluster.directory + "/data/pg_hba.conf"
        let rules = try String(contentsOfFile: hba, encoding: .utf8)
        try ("host all registry_daemon 127.0.0.1/32 scram-sha-256\n" + rules).write(toFile: hba, atomically: false, encoding: .utf8)
        #expect(try admin.query("SELECT pg_reload_conf()").scalar == "t")
        let base = "127.0.0.1:\(cluster.port)"
        let cases: [(url: String, says: String)] = [
            ("postgresql://registry_daemon:wrong@\(base)/persona_registry", "password authentication failed"),
            ("postgresql://nobody@\(base)/persona_registry", "role \"nobody\" does not exist"),
            ("postgresql://postgres@\(base)/no_such_database", "database \"no_such_database\" does not exist"),
            ("postgresql://postgres@\(base)/persona_registry?no_such_option=1", "the database URL is not valid"),
        ]
        for (url, says) in cases {
            let tree = try TemporaryTree()
            let daemon = try Self.refused(url: url, tree, timeout: 15)
            let log = daemon.log
            let problems = log.split(separator: "\n").filter { line in
                ["warning", "error", "critical"].contains { line.contains(" \($0): ") }
            }
            #expect(problems.count == 1, "\(url): exactly one line: \(log)")
            #expect(problems.first?.contains(says) == true, "\(url): \(log)")
            #expect(!log.contains("wrong"), "no password in the output: \(log)")
            #expect(daemon.lines(.connectFailed).isEmpty && daemon.lines(.startupFailed).count == 1, "\(url): not retried: \(log)")
        }
    }
}
