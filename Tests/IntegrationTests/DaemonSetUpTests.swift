import Foundation
import Testing
import RegistryDaemon
import RegistryDatabase
import TestSupport

/// A server that accepts the daemon's connection and then does not answer its set-up
/// (the standby check, `LISTEN`): here the check's function lookup waits on a lock held
/// on `pg_proc`. The daemon must neither hang with it nor ignore signals or stop its watchdog meanwhile.
@Suite("serve: a server that accepts the connection and then does not answer")
struct DaemonSetUpTests {
    /// How many of the daemon's standby checks wait on the lock in `database`. Asked from the
    /// maintenance database: in the locked one, this query's own function lookups would wait too.
    static func setUpsWaiting(in database: TestDatabase) throws -> Int {
        let observer = try PostgresConnection(url: TestServer.adminURL())
        return try Int(observer.query("""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = $1 AND application_name = 'persona-registry'
              AND wait_event_type = 'Lock' AND query LIKE '%pg_is_in_recovery%'
            """, [database.name]).scalar ?? "") ?? -1
    }

    /// A connection holding `pg_proc` locked in the test's database (the lock is the database's own).
    static func lockFunctionLookups(_ database: TestDatabase) throws -> PostgresConnection {
        let blocker = try database.connect()
        try blocker.execute("BEGIN; LOCK TABLE pg_catalog.pg_proc IN ACCESS EXCLUSIVE MODE")
        return blocker
    }

    /// A daemon whose set-up waits: `pg_proc` locked first (`blocker`, until its `ROLLBACK` or
    /// `COMMIT`), then the daemon started with `connect_timeout` of `seconds`.
    static func startedWithSetUpBlocked(_ database: TestDatabase, _ tree: TemporaryTree, connectTimeout seconds: Int,
                                        arguments: [String] = [], environment: [String: String] = [:])
        throws -> (blocker: PostgresConnection, daemon: DaemonProcess) {
        let blocker = try lockFunctionLookups(database)
        let daemon = try DaemonProcess(database: database, tree: tree, arguments: arguments, environment: environment,
                                       databaseURL: database.url + "?connect_timeout=\(seconds)")
        return (blocker, daemon)
    }

    @Test("SIGTERM while the set-up waits: exit 0 at once, not after connect_timeout")
    func sigtermDuringSetUp() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let (blocker, daemon) = try Self.startedWithSetUpBlocked(database, tree, connectTimeout: 60)
        defer { daemon.killHard() }
        try #require(try waitUntil { try Self.setUpsWaiting(in: database) == 1 }, "the standby check never waited:\n\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: 10) == 0, "\(daemon.log)")
        try blocker.execute("ROLLBACK")
    }

    @Test("while the set-up waits, the loop serves: WATCHDOG=1 keeps coming, no READY=1, SIGTERM within a second")
    func loopServedDuringSetUp() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let listener = try NotifySocketListener()
        // WATCHDOG=1 is due every 0.25 s (half of WATCHDOG_USEC); the set-up's deadline is a minute away.
        let (blocker, daemon) = try Self.startedWithSetUpBlocked(database, tree, connectTimeout: 60,
                                                                 environment: ["NOTIFY_SOCKET": listener.name, "WATCHDOG_USEC": "500000"])
        defer { _ = try? blocker.execute("ROLLBACK") }
        defer { daemon.killHard() }
        try #require(try waitUntil { try Self.setUpsWaiting(in: database) == 1 }, "the standby check never waited:\n\(daemon.log)")
        let watchdogs = { listener.messages.filter { NotifySocketListener.has($0, "WATCHDOG=1") }.count }
        let before = watchdogs()
        #expect(waitUntil(timeout: 10) { watchdogs() >= before + 4 }, "\(listener.messages)\n\(daemon.log)")
        // All of them while the server did not answer: the check still waits, nothing is ready or heard.
        #expect(try Self.setUpsWaiting(in: database) == 1)
        #expect(!listener.messages.contains { NotifySocketListener.has($0, "READY=1") }, "\(listener.messages)")
        #expect(daemon.lines(.connected).isEmpty, "\(daemon.log)")

        let stopAt = Date()
        daemon.signal(SIGTERM)
        let status = daemon.waitForExit(timeout: 10)
        let took = Date().timeIntervalSince(stopAt)
        #expect(status == 0, "\(daemon.log)")
        #expect(took < 1, "serve exited \(took) s after SIGTERM:\n\(daemon.log)")
        #expect(listener.messages.contains { NotifySocketListener.has($0, "STOPPING=1") }, "\(listener.messages)")
    }

    @Test("no answer within connect_timeout: retried with backoff, connected once the server answers")
    func noAnswerIsRetried() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        let (blocker, daemon) = try Self.startedWithSetUpBlocked(database, tree, connectTimeout: 2, arguments: ["--log-level", "debug"])
        defer { daemon.killHard() }
        #expect(daemon.waitFor(.connectFailed), "\(daemon.log)")
        #expect(daemon.lines(.connectFailed).first?.contains("did not answer") == true, "\(daemon.log)")
        #expect(daemon.process.isRunning, "\(daemon.log)")
        // Two attempts more: the server gives up on each abandoned check a second after the
        // daemon does, so they do not pile up: at most the current attempt's and the last one's.
        #expect(waitUntil(timeout: 30) { daemon.lines(.connectStillFailing).count >= 2 }, "\(daemon.log)")
        #expect(try Self.setUpsWaiting(in: database) <= 2)
        try blocker.execute("COMMIT")
        #expect(daemon.waitFor(.connected, timeout: 60), "\(daemon.log)")
        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") }, "\(daemon.log)")
    }
}
