import Logging
import RegistryCore
import RegistryDatabase
import RegistrySystem

/// Every query of the daemon is sent and answered through the loop: `send`
/// sends it (or queues it behind the one in flight), the loop hands the
/// socket's readiness to `readable`, which returns the answer once complete.
/// While the server has not answered (a lock held elsewhere, `VACUUM FULL`, a
/// migration), signals, the tree and the watchdog are served as usual; on stop
/// the query is cancelled.
extension DatabaseSide {
    /// What became of a request handed to `send`.
    enum Sent {
        /// Its query is in flight: the answer comes through `readable`.
        case sent
        /// Behind the query in flight, or dropped without a connection (the reconnect's
        /// repairing sweep covers it).
        case waiting
        /// Answered at once: no rows (nothing to look up: no valid slug, only deletes), or
        /// the failure to send.
        case answered(Rows)
    }

    /// A request's rows, or why they did not come.
    typealias Rows = Result<[Persona], RequestFailure>

    /// Sends `request`'s query, or queues it until the one in flight is answered.
    func send(_ request: DatabaseRequest) -> Sent {
        // Nothing is asked before the set-up is answered: what it needs, its sweep covers.
        guard let link, link.isSetUp else { return .waiting }
        if link.isBusy {
            queued = DatabaseRequest.queue(queued, adding: request)
            return .waiting
        }
        do {
            return try link.send(request) ? .sent : .answered(.success([]))
        } catch {
            return .answered(.failure(.connectionLost(.connection(error))))
        }
    }

    /// The next queued request, once nothing is in flight.
    func nextQueued() -> DatabaseRequest? {
        guard let link, !link.isBusy, !queued.isEmpty else { return nil }
        return queued.removeFirst()
    }

    /// A statement's complete answer.
    enum Answer {
        /// To a set-up statement: the attempt goes on (`setUpAnswered`).
        case setUp(SetUpStep, Result<QueryResult, StatementError>)
        /// To a request: its rows.
        case rows(DatabaseRequest, Rows)

        /// For log lines.
        var name: String {
            switch self {
            case .setUp(let step, _): step.name
            case .rows(let request, _): request.name
            }
        }
    }

    /// Reads what the server sent (the socket was readable). Returns the answer to the
    /// statement in flight once it is complete, `nil` while it is not. Throws when the
    /// connection is lost, except under the set-up: a failed attempt is its answer then.
    func readable() throws(ConnectionError) -> Answer? {
        guard let link else { return nil }
        if case .setUp(let step) = link.inFlight?.asked {
            do {
                return try link.advance().map { .setUp(step, $0.1) }
            } catch {
                return .setUp(step, .failure(.connection(error)))
            }
        }
        guard let (asked, result) = try link.advance(), case .request(let request) = asked else { return nil }
        let rows: Rows = switch result {
        case .failure(let error): .failure(RequestFailure(error, connected: link.isConnected))
        case .success(let result): Result { () throws(TableError) in try PersonaQueries.decode(result) }.mapError(RequestFailure.unreadable)
        }
        return .rows(request, rows)
    }

    /// Notifications libpq holds (after reading the socket when `read`).
    func receive(read: Bool) throws(ConnectionError) -> [String] {
        try link?.receive(read: read) ?? []
    }

    /// The query in flight has waited `waited` microseconds (`DaemonState` says when): the
    /// tree side keeps working meanwhile.
    func reportSlowQuery(waited: UInt64) {
        guard let inFlight = link?.inFlight else { return }
        logger.log(.queryWaiting, "a query has waited long for PostgreSQL (a lock held by another session?); the tree stays watched",
                   ["query": "\(inFlight.asked.name)", "waited_ms": "\(waited / 1_000)"])
    }

    /// On stop: the server is asked to drop the query in flight rather than run it once a lock is
    /// released, and the daemon exits at once (`DetachedCancel` sends the request).
    func cancelInFlight() {
        guard let link, let inFlight = link.inFlight else { return }
        do {
            let child = try link.cancelDetached()
            logger.log(.cancelAsked, "asked the server to cancel the query in flight",
                       ["query": "\(inFlight.asked.name)", "cancel_pid": "\(child)"])
        } catch {
            logger.log(.cancelFailed, "could not cancel the query in flight", ["error": "\(error)"])
        }
    }
}
