import Logging

/// The database side: connecting, losing the connection, reconnecting with backoff.
extension Daemon {
    func connect(startup: Bool) throws {
        let now = MonotonicClock.microseconds
        do {
            let link = try DatabaseLink(url: configuration.databaseURL)
            database = link
            logger.info("connected to PostgreSQL and listening", metadata: ["channel": "\(RegistryNotification.channel)"])
            try perform(state.handle(.connected, now: now), startup: startup)
        } catch let error as DatabaseLink.StandbyRefused {
            database = nil
            if startup { throw StartupError(description: error.description) }
            logger.error("\(error.description)")
            reconnectLater(now: now)
        } catch let error as PostgresError where !startup && error.code.errorClass == "08" {
            database = nil
            logger.warning("cannot connect to PostgreSQL", metadata: ["error": "\(error.message)"])
            reconnectLater(now: now)
        } catch let error as StartupError {
            throw error
        } catch {
            database = nil
            if startup { throw StartupError(description: "\(error)") }
            logger.warning("cannot connect to PostgreSQL", metadata: ["error": "\(error)"])
            reconnectLater(now: now)
        }
    }

    func reconnectLater(now: UInt64) {
        _ = state.handle(.disconnected, now: now)
        if case .disconnected(let retryAt) = state.connection, retryAt > now {
            logger.info("reconnecting later", metadata: [
                "attempt": "\(state.backoff.attempts)", "delay_ms": "\((retryAt - now) / 1_000)"])
        }
        updateStatus()
    }

    /// The connection failed under a query or a read: keep the tree side running, retry with backoff.
    func connectionLost(_ error: Error) {
        database = nil
        logger.warning("lost the connection to PostgreSQL; the tree stays watched", metadata: ["error": "\(error)"])
        reconnectLater(now: MonotonicClock.microseconds)
        // A reload's sweep waits for the reconnection; systemd need not.
        if readyOwed { notifyReady() }
    }

    /// Whether `error` means the connection is gone (rather than one statement failing).
    func isConnectionLoss(_ error: Error) -> Bool {
        if let database, database.isConnected {
            return (error as? PostgresError)?.code.errorClass == "08"
        }
        return true
    }
}
