import Foundation
import Testing

/// A migration, `VACUUM FULL` or a forgotten transaction holds a lock on
/// `persona`: the daemon's query waits on it. The daemon must not wait with it.
@Suite("serve: a query waiting on a lock held elsewhere")
struct DaemonLockTests {
    @Test("LOCK TABLE persona held elsewhere: the sweep's query waits, the loop keeps serving, SIGTERM exits 0 and cancels it")
    func sigtermWhileAQueryWaitsOnALock() throws {
        let database = try TestDatabase()
        let tree = try TempTree()
        try database.execute("INSERT INTO role (name) VALUES ('developer'); INSERT INTO persona (name, role_id) VALUES ('Con', 1)")
        let listener = try NotifySocketListener()
        let daemon = try DaemonProcess(database: database, tree: tree,
                                       environment: ["NOTIFY_SOCKET": listener.name, "WATCHDOG_USEC": "1000000"])
        try #require(listener.waitFor { NotifySocketListener.has($0, "READY=1") } != nil, "\(daemon.log)")

        let blocker = try database.connect()
        try blocker.execute("BEGIN; LOCK TABLE persona IN ACCESS EXCLUSIVE MODE")
        daemon.signal(SIGHUP)  // a repairing sweep, whose query now waits on the lock
        let observer = try database.connect()
        func daemonQueriesWaiting() throws -> String? {
            try observer.query("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'persona-registry'
                  AND wait_event_type = 'Lock' AND query LIKE '%FROM persona p JOIN role r%'
                """).scalar
        }
        try #require(try waitUntil { try daemonQueriesWaiting() == "1" }, "the sweep's query never waited on the lock:\n\(daemon.log)")

        // The loop keeps running meanwhile: watchdog pings, the wait logged once, another signal served.
        let pings = listener.messages.count { NotifySocketListener.has($0, "WATCHDOG=1") }
        #expect(waitUntil { listener.messages.count { NotifySocketListener.has($0, "WATCHDOG=1") } >= pings + 3 }, "\(daemon.log)")
        #expect(daemon.waitForLog("a query has waited long"), "\(daemon.log)")
        daemon.signal(SIGHUP)
        #expect(waitUntil { daemon.logLines(containing: "configuration reloaded").count == 2 }, "\(daemon.log)")
        #expect(daemon.logLines(containing: "a query has waited long").count == 1, "\(daemon.log)")

        // SIGTERM with the lock still held: the daemon exits cleanly, and its query is cancelled on the server.
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: 10) == 0, "SIGTERM must not wait for the lock:\n\(daemon.log)")
        #expect(daemon.log.contains("asked the server to cancel the query in flight"), "\(daemon.log)")
        #expect(try waitUntil { try daemonQueriesWaiting() == "0" }, "the waiting query was left on the server")
        try blocker.execute("ROLLBACK")
    }
}
