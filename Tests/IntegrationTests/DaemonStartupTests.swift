import Foundation
import Testing
import TestSupport

/// Notifications that arrive while the daemon's start-up sweep runs its query
/// are read by libpq with the query's result and queued, leaving the socket
/// empty: the loop must apply them before it waits, not at the next sweep.
@Suite("serve: notifications during the start-up sweep")
struct DaemonStartupTests {
    @Test("a notification sent while the start-up sweep's query runs is applied without waiting for another sweep")
    func notificationDuringStartupSweep() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        // Hold the sweep's query (it joins role) until a change has been committed behind it.
        let blocker = try database.connect()
        try blocker.execute("BEGIN; LOCK TABLE role IN ACCESS EXCLUSIVE MODE")
        // At debug level: the sweep runs after the delete and never knew the persona, so the
        // notification, looked up, is nothing, logged only at debug level.
        let daemon = try DaemonProcess(database: database, tree: tree, arguments: ["--sweep-interval", "3600", "--log-level", "debug"])
        let observer = try database.connect()
        let waiting = waitUntil {
            (try? observer.query("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM persona p JOIN role r%'
                """).scalar) == "1"
        }
        try #require(waiting, "the start-up sweep never waited on the lock:\n\(daemon.log)")
        // Committed while the daemon's backend is busy: delivered with the query's result.
        try blocker.execute("DELETE FROM persona WHERE id = 1; COMMIT")
        #expect(daemon.waitFor(.sweepFinished), "\(daemon.log)")
        // Nothing else wakes the loop (no directory to create, no tree events, sweeps hourly).
        #expect(daemon.waitFor(.unknownPersonaNamed, with: "id=1"), "the queued notification was not applied:\n\(daemon.log)")
    }
}
