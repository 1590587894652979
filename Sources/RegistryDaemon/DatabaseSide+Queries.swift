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
    /// How long a query may wait before it is logged (once) as waiting long.
    static let slowQueryMicroseconds: UInt64 = 5_000_000
    /// The longest the cancel request may take (the child is killed by SIGALRM then).
    static let cancelSeconds: UInt32 = 3

    /// Sends `request`'s query, or queues it until the one in flight is answered. Returns
    /// an answer when there is one at once: no rows (nothing to look up: no valid slug,
    /// only deletes), or the failure to send. Without a connection the request is dropped
    /// (the reconnect's repairing sweep covers it).
    func send(_ request: DatabaseRequest) -> Result<[Persona], Error>? {
        guard let link else { return nil }
        if link.isBusy {
            queued = DatabaseRequest.queue(queued, adding: request)
            return nil
        }
        do {
            return try link.send(request, now: MonotonicClock.microseconds) ? nil : .success([])
        } catch {
            return .failure(error)
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
        guard let link, let inFlight = link.inFlight else { return nil }
        guard let answer = try link.advance() else { return nil }
        if inFlight.reportedSlow {
            logger.log(.queryAnswered, "the query that waited long was answered",
                       ["query": "\(answer.0.name)", "waited_ms": "\((MonotonicClock.microseconds - inFlight.sentAt) / 1_000)"])
        }
        return answer
    }

    /// Notifications libpq holds (after reading the socket when `read`).
    func receive(read: Bool) throws -> [String] {
        try link?.receive(read: read) ?? []
    }

    /// When the query in flight is to be reported as waiting long (`nil`: none, or reported).
    var slowQueryDeadline: UInt64? {
        guard let inFlight = link?.inFlight, !inFlight.reportedSlow else { return nil }
        return inFlight.sentAt + DatabaseSide.slowQueryMicroseconds
    }

    /// Logs the query in flight once when it has waited long: the tree side keeps working meanwhile.
    func reportSlowQuery(now: UInt64) {
        guard let deadline = slowQueryDeadline, deadline <= now, let inFlight = link?.inFlight else { return }
        link?.reportedSlow()
        logger.log(.queryWaiting, "a query has waited long for PostgreSQL (a lock held by another session?); the tree stays watched",
                   ["query": "\(inFlight.request.name)", "waited_ms": "\((now - inFlight.sentAt) / 1_000)"])
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
