import Glibc
import Logging
import RegistryCore
import RegistrySystem

/// Every query of the daemon is sent and answered through the loop: `send`
/// sends it (or queues it behind the one in flight), the loop hands the
/// socket's readiness to `readable`, which returns the answer once complete.
/// While the server has not answered (a lock held elsewhere, `VACUUM FULL`, a
/// migration), signals, the tree and the watchdog are served as usual; on stop
/// the query is cancelled.
extension DatabaseSide {
    /// The longest the cancel request may take (the child is killed by SIGALRM then).
    static let cancelSeconds: UInt32 = 3

    /// What became of a request handed to `send`.
    enum Sent {
        /// Its query is in flight: the answer comes through `readable`.
        case sent
        /// Behind the query in flight, or dropped without a connection (the reconnect's
        /// repairing sweep covers it).
        case waiting
        /// Answered at once: no rows (nothing to look up: no valid slug, only deletes), or
        /// the failure to send.
        case answered(Result<[Persona], Error>)
    }

    /// Sends `request`'s query, or queues it until the one in flight is answered.
    func send(_ request: DatabaseRequest) -> Sent {
        guard let link else { return .waiting }
        if link.isBusy {
            queued = DatabaseRequest.queue(queued, adding: request)
            return .waiting
        }
        do {
            return try link.send(request) ? .sent : .answered(.success([]))
        } catch {
            return .answered(.failure(error))
        }
    }

    /// The next queued request, once nothing is in flight.
    func nextQueued() -> DatabaseRequest? {
        guard let link, !link.isBusy, !queued.isEmpty else { return nil }
        return queued.removeFirst()
    }

    /// Reads what the server sent (the socket was readable). Returns the request in flight
    /// with its rows once its answer is complete, `nil` while it is not. Throws when the
    /// connection is lost.
    func readable() throws -> (DatabaseRequest, Result<[Persona], Error>)? {
        try link?.advance()
    }

    /// Notifications libpq holds (after reading the socket when `read`).
    func receive(read: Bool) throws -> [String] {
        try link?.receive(read: read) ?? []
    }

    /// The query in flight has waited `waited` microseconds (`DaemonState` says when): the
    /// tree side keeps working meanwhile.
    func reportSlowQuery(waited: UInt64) {
        guard let inFlight = link?.inFlight else { return }
        logger.log(.queryWaiting, "a query has waited long for PostgreSQL (a lock held by another session?); the tree stays watched",
                   ["query": "\(inFlight.request.name)", "waited_ms": "\(waited / 1_000)"])
    }

    /// On stop: the server is asked to drop the query in flight rather than run it once a lock is
    /// released. libpq 15's `PQcancel` connects with no timeout of its own (half a minute when the
    /// server has become unreachable, by `tcp_user_timeout`), so a child process sends the request
    /// and the daemon exits at once; the child is bounded by an alarm. `PQcancel` is
    /// async-signal-safe, so safe after `fork` too.
    func cancelInFlight() {
        guard let link, let inFlight = link.inFlight else { return }
        let child = fork()
        if child == 0 {
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            _ = Glibc.signal(SIGALRM, SIG_DFL)
            alarm(DatabaseSide.cancelSeconds)
            _exit(link.cancel() == nil ? 0 : 1)
        }
        if child < 0 {
            logger.log(.cancelFailed, "could not cancel the query in flight",
                       ["error": "\(SystemError(errno: errno, operation: "fork", path: ""))"])
        } else {
            logger.log(.cancelAsked, "asked the server to cancel the query in flight",
                       ["query": "\(inFlight.request.name)", "cancel_pid": "\(child)"])
        }
    }
}
