import Foundation
import Testing
import RegistryDaemon
import RegistryDatabase
import TestSupport

/// A migration, `VACUUM FULL` or a forgotten transaction holds a lock on
/// `persona`: the daemon's query waits on it. The daemon must not wait with it.
@Suite("serve: a query waiting on a lock held elsewhere")
struct DaemonLockTests: DaemonFixture {
    /// The pid of the daemon's query on the registry's tables that waits on a lock (`nil`: none).
    static func queryWaitingOnLock(_ observer: PostgresConnection) throws -> String? {
        try observer.query("""
            SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'persona-registry'
              AND wait_event_type = 'Lock' AND query LIKE '%FROM persona p JOIN role r%'
            LIMIT 1
            """).scalar
    }

    /// Cancels the daemon's query waiting on the lock, as an operator would (`pg_cancel_backend`),
    /// and expects the daemon to log `failure` for it.
    static func cancelQueryWaitingOnLock(in database: TestDatabase, daemon: DaemonProcess, logged failure: DaemonEvent,
                                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let observer = try database.connect()
        var pid: String?
        try #require(try waitUntil { pid = try queryWaitingOnLock(observer); return pid != nil }, "\(daemon.log)",
                     sourceLocation: sourceLocation)
        try observer.execute("SELECT pg_cancel_backend(\(pid ?? "0"))")
        #expect(daemon.waitFor(failure), "\(daemon.log)", sourceLocation: sourceLocation)
    }

    /// A daemon in step with Con (`developer-con-1`), and a connection whose open transaction
    /// holds `LOCK TABLE persona IN ACCESS EXCLUSIVE MODE` (`ROLLBACK` releases it).
    static func startedWhileLocked() throws -> (TestDatabase, TemporaryTree, DaemonProcess, PostgresConnection) {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        let daemon = try started(database, tree)

        let blocker = try database.connect()
        try blocker.execute("BEGIN; LOCK TABLE persona IN ACCESS EXCLUSIVE MODE")
        return (database, tree, daemon, blocker)
    }

    @Test("LOCK TABLE persona held elsewhere: the sweep's query waits, the loop keeps serving, SIGTERM exits 0 and cancels it")
    func sigtermWhileAQueryWaitsOnALock() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        let (listener, daemon, _) = try Self.startedNotifying(database, tree, environment: ["WATCHDOG_USEC": "1000000"])

        let blocker = try database.connect()
        try blocker.execute("BEGIN; LOCK TABLE persona IN ACCESS EXCLUSIVE MODE")
        daemon.signal(SIGHUP)  // a repairing sweep, whose query now waits on the lock
        let observer = try database.connect()
        try #require(try waitUntil { try Self.queryWaitingOnLock(observer) != nil }, "the sweep's query never waited on the lock:\n\(daemon.log)")

        // The loop keeps running meanwhile: watchdog pings, the wait logged once, another signal served.
        let pings = listener.messages.count { NotifySocketListener.has($0, "WATCHDOG=1") }
        #expect(waitUntil { listener.messages.count { NotifySocketListener.has($0, "WATCHDOG=1") } >= pings + 3 }, "\(daemon.log)")
        #expect(daemon.waitFor(.queryWaiting), "\(daemon.log)")
        daemon.signal(SIGHUP)
        #expect(waitUntil { daemon.lines(.reloaded).count == 2 }, "\(daemon.log)")
        #expect(daemon.lines(.queryWaiting).count == 1, "\(daemon.log)")

        // SIGTERM with the lock still held: the daemon exits cleanly, and its query is cancelled on the server.
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: 10) == 0, "SIGTERM must not wait for the lock:\n\(daemon.log)")
        #expect(!daemon.lines(.cancelAsked).isEmpty, "\(daemon.log)")
        #expect(try waitUntil { try Self.queryWaitingOnLock(observer) == nil }, "the waiting query was left on the server")
        try blocker.execute("ROLLBACK")
    }

    @Test("a rename's query cancelled by an operator while it waits on a lock: the rename is still written")
    func renameWhoseQueryWasCancelledIsStillDone() throws {
        let (database, tree, daemon, blocker) = try Self.startedWhileLocked()
        try database.execute("UPDATE role SET name = 'engineer' WHERE id = 1")
        // The notification's query waits on the lock; an operator cancels it.
        try Self.cancelQueryWaitingOnLock(in: database, daemon: daemon, logged: .notificationsFailed)
        try blocker.execute("ROLLBACK")

        // The rename was consumed with the failed query: only a repairing sweep writes it.
        #expect(waitUntil { (try? tree.read("developer-con-1/identity.yaml"))?.contains("role: engineer") == true },
                "\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }

    @Test("a re-check's query cancelled by an operator: the directory removed meanwhile is still made again")
    func removedDirectoryWhoseRecheckWasCancelledIsStillMade() throws {
        let (database, tree, daemon, blocker) = try Self.startedWhileLocked()
        try FileManager.default.removeItem(atPath: tree.path("developer-con-1"))
        try Self.cancelQueryWaitingOnLock(in: database, daemon: daemon, logged: .recheckFailed)
        try blocker.execute("ROLLBACK")

        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") }, "\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }

    @Test("the tree moved away while a sweep's query waits: its answer is not written into the old tree")
    func answerAfterTheTreeMovedAwayIsNotWrittenThere() throws {
        let (database, tree, daemon, blocker) = try Self.startedWhileLocked()
        daemon.signal(SIGHUP)  // a repairing sweep, whose query waits on the lock
        let observer = try database.connect()
        try #require(try waitUntil { try Self.queryWaitingOnLock(observer) != nil }, "\(daemon.log)")
        // The tree's parent moves away (the tree cannot be made again under the path), and a
        // person removes a directory in the moved tree.
        let moved = tree.base + "/moved"
        try FileManager.default.moveItem(atPath: tree.data, toPath: moved)
        try FileManager.default.removeItem(atPath: moved + "/personas/developer-con-1")
        #expect(daemon.waitFor(.treeRemakeFailed), "\(daemon.log)")
        try blocker.execute("ROLLBACK")
        #expect(waitUntil { !daemon.lines(.answerLeftToSweep).isEmpty || daemon.lines(.sweepFinished).count > 1 },
                "\(daemon.log)")
        #expect(!FileManager.default.fileExists(atPath: moved + "/personas/developer-con-1"),
                "the daemon wrote into the tree moved away from its path:\n\(daemon.log)")

        // The tree comes back under its path: made in step by the repairing sweep.
        try FileManager.default.moveItem(atPath: moved, toPath: tree.data)
        #expect(waitUntil(timeout: 60) { tree.exists("developer-con-1/identity.yaml") }, "\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }

    @Test("sweeps failing on statement_timeout while a lock is held: retried within seconds once it is released")
    func failedSweepsAreRetriedWithBackoff() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        let observer = try database.connect()
        let name = try #require(try observer.query("SELECT current_database()").scalar)
        try observer.execute("ALTER DATABASE \"\(name)\" SET statement_timeout = '300ms'")
        let daemon = try Self.started(database, tree)

        let blocker = try database.connect()
        try blocker.execute("SET statement_timeout = 0; BEGIN; LOCK TABLE persona IN ACCESS EXCLUSIVE MODE")
        try FileManager.default.removeItem(atPath: tree.path("developer-con-1"))
        // The re-check times out, then the sweep that follows it.
        #expect(daemon.waitFor(.sweepFailed), "\(daemon.log)")
        try blocker.execute("ROLLBACK")
        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") }, "\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }
}
