import Logging
import RegistryCore
import RegistrySystem
import RegistryDatabase

/// The database side: connecting, losing the connection, reconnecting with backoff.
/// Until the first connection succeeds, a configuration mistake (a URL libpq cannot
/// parse, credentials or a database the server refuses, a standby) ends the daemon
/// with one line; anything else (the server not up yet, the network) is retried
/// with the same backoff as a lost connection.
extension Daemon {
    func connect() throws {
        let now = MonotonicClock.microseconds
        do {
            database = try DatabaseLink(url: configuration.databaseURL, interrupt: signals.rawValue)
        } catch is PostgresConnection.ConnectInterrupted {
            // A signal arrived: the loop handles it next; retried (soon) if it was not TERM.
            database = nil
            reconnectLater(now: now)
            return
        } catch {
            database = nil
            if !everConnected, Daemon.isConfigurationMistake(error) {
                throw StartupError(description: Daemon.describeConnectFailure(error))
            }
            connectFailed(Daemon.describeConnectFailure(error).trimmingPrefix("cannot connect to PostgreSQL: "), now: now)
            return
        }
        var metadata: Logger.Metadata = ["channel": "\(RegistryNotification.channel)"]
        if state.backoff.attempts > 0 { metadata["failed_attempts"] = "\(state.backoff.attempts)" }
        logger.info("connected to PostgreSQL and listening", metadata: metadata)
        everConnected = true
        connectionProblem = nil
        try perform(state.handle(.connected, now: now))
    }

    /// Errors that retrying cannot cure: the URL, the credentials, the database name, a standby.
    static func isConfigurationMistake(_ error: Error) -> Bool {
        switch error {
        case is InvalidConnectionString, is DatabaseLink.StandbyRefused:
            return true
        case let error as PostgresError:
            return error.code.errorClass == "28" || error.code == .invalidCatalogName
        default:
            return false
        }
    }

    static func describeConnectFailure(_ error: Error) -> String {
        (error as? PostgresError)?.message ?? (error as? ConnectionError)?.message ?? "\(error)"
    }

    /// One warning when the attempts start failing or fail differently, not one per attempt.
    func connectFailed(_ problem: some StringProtocol, now: UInt64) {
        let problem = String(problem)
        let changed = problem != connectionProblem
        connectionProblem = problem
        reconnectLater(now: now)
        var metadata: Logger.Metadata = ["error": "\(problem)", "attempt": "\(state.backoff.attempts)"]
        if case .disconnected(let retryAt) = state.connection, retryAt > now { metadata["delay_ms"] = "\((retryAt - now) / 1_000)" }
        if changed {
            logger.warning("cannot connect to PostgreSQL; reconnecting later with backoff, the tree stays watched",
                           metadata: metadata)
        } else {
            logger.debug("cannot connect to PostgreSQL; reconnecting later", metadata: metadata)
        }
    }

    func reconnectLater(now: UInt64) {
        // Not reachable before the first sweep: READY=1 now, with STATUS= saying what it waits for.
        let actions = state.handle(.disconnected, now: now)
        if actions.contains(.notifyReady) {
            notifyReady()
        } else {
            updateStatus()
        }
    }

    /// The connection failed under a query or a read: keep the tree side running, retry with backoff.
    func connectionLost(_ error: Error) {
        database = nil
        connectionProblem = nil
        logger.warning("lost the connection to PostgreSQL; the tree stays watched", metadata: ["error": "\(error)"])
        reconnectLater(now: MonotonicClock.microseconds)
    }

    /// Whether `error` means the connection is gone (rather than one statement failing).
    func isConnectionLoss(_ error: Error) -> Bool {
        if let database, database.isConnected {
            // libpq's own failure, or the server's connection-exception class (08).
            return error is ConnectionError || (error as? PostgresError)?.code.errorClass == "08"
        }
        return true
    }
}
