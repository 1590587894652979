import Glibc
import Logging
import RegistryCore
import RegistrySystem

/// Every query of the daemon is sent and answered through the loop: `request`
/// sends it (or queues it behind the one in flight), the loop hands the socket's
/// readiness to `databaseReadable`, and the answer goes to the step that asked
/// (`sweepAnswered`, `recheckAnswered`, `batchAnswered`). While the server has
/// not answered (a lock held elsewhere, `VACUUM FULL`, a migration), signals,
/// the tree and the watchdog are served as usual; on stop the query is cancelled.
extension Daemon {
    /// How long a query may wait before it is logged (once) as waiting long.
    static let slowQueryMicroseconds: UInt64 = 5_000_000

    /// Sends `request`'s query, or queues it until the one in flight is answered.
    func request(_ request: DatabaseLink.Request) throws {
        guard let database else { return }
        if database.isBusy {
            enqueue(request)
            return
        }
        let sent: Bool
        do {
            sent = try database.send(request, now: MonotonicClock.microseconds)
        } catch {
            try answered(request, .failure(error))
            return
        }
        // Nothing to look up (no valid slug, only deletes): the answer is no rows.
        if !sent { try answered(request, .success([])) }
    }

    private func enqueue(_ request: DatabaseLink.Request) {
        queuedRequests = Daemon.queue(queuedRequests, adding: request)
    }

    /// A queued sweep covers re-checks queued with it, a check sweep not a retry's repairs
    /// (it only reports the stale files a failed repair left); two sweeps are one (repairing
    /// if either is).
    static func queue(_ queued: [DatabaseLink.Request], adding request: DatabaseLink.Request) -> [DatabaseLink.Request] {
        var queued = queued
        switch request {
        case .sweep(let policy):
            let repair = policy == .repairSweep || queued.contains(.sweep(.repairSweep))
            queued.removeAll {
                switch $0 {
                case .batch: false
                case .sweep: true
                case .recheck(_, let policy): repair || policy == .check
                }
            }
            queued.append(.sweep(repair ? .repairSweep : policy))
        case .recheck(let names, let policy):
            if queued.contains(.sweep(.repairSweep)) || (policy == .check && queued.contains(.sweep(.check))) { return queued }
            // Re-checks merge with those of the same policy (a retry repairs, a re-check only creates).
            if let index = queued.firstIndex(where: { if case .recheck(_, policy) = $0 { true } else { false } }),
               case .recheck(let earlier, _) = queued[index] {
                queued[index] = .recheck(earlier.union(names), policy: policy)
            } else {
                queued.append(request)
            }
        case .batch:
            queued.append(request)
        }
        return queued
    }

    /// The libpq socket is readable while a query is in flight: read, and finish the step once answered.
    func databaseReadable() throws {
        guard let database, database.isBusy else { return }
        let answer: (DatabaseLink.Request, Result<[Persona], Error>)?
        let slow = database.inFlight.map { $0.reportedSlow ? MonotonicClock.microseconds - $0.sentAt : nil } ?? nil
        do {
            answer = try database.advance()
        } catch {
            connectionLost(error)
            return
        }
        guard let (request, result) = answer else { return }
        if let slow {
            logger.info("the query that waited long was answered", metadata: ["query": "\(request.name)", "waited_ms": "\(slow / 1_000)"])
        }
        try answered(request, result)
    }

    func answered(_ request: DatabaseLink.Request, _ result: Result<[Persona], Error>) throws {
        if case .success = result, noticeTreeLost(now: MonotonicClock.microseconds) {
            // The tree was moved or removed while the query waited: nothing is written into the
            // old root, wherever it is now; the repairing sweep once it is made again covers this.
            logger.info("the tree is missing: the answer is left to the repairing sweep", metadata: ["query": "\(request.name)"])
            if case .sweep = request { try sweepEnded() }
        } else {
            try dispatch(request, result)
        }
        if let database, !database.isBusy, !state.isStopping, !queuedRequests.isEmpty {
            try self.request(queuedRequests.removeFirst())
        }
    }

    private func dispatch(_ request: DatabaseLink.Request, _ result: Result<[Persona], Error>) throws {
        switch request {
        case .sweep(let policy):
            try sweepAnswered(policy, result)
        case .recheck(let names, let policy):
            try recheckAnswered(names, policy: policy, result)
        case .batch(let batch, let roleNames):
            try batchAnswered(batch, roleNames: roleNames, result)
        }
    }

    /// When the query in flight is to be reported as waiting long (`nil`: none, or reported).
    var slowQueryDeadline: UInt64? {
        guard let inFlight = database?.inFlight, !inFlight.reportedSlow else { return nil }
        return inFlight.sentAt + Daemon.slowQueryMicroseconds
    }

    /// Logs the query in flight once when it has waited long: the tree side keeps working meanwhile.
    func reportSlowQuery(now: UInt64) {
        guard let deadline = slowQueryDeadline, deadline <= now, let inFlight = database?.inFlight else { return }
        database?.reportedSlow()
        logger.warning("a query has waited long for PostgreSQL (a lock held by another session?); the tree stays watched", metadata: [
            "query": "\(inFlight.request.name)", "waited_ms": "\((now - inFlight.sentAt) / 1_000)"])
    }

    /// On stop: the server is asked to drop the query in flight rather than run it once a lock is
    /// released. libpq 15's `PQcancel` connects with no timeout of its own (half a minute when the
    /// server has become unreachable, by `tcp_user_timeout`), so a child process sends the request
    /// and the daemon exits at once; the child is bounded by an alarm. `PQcancel` is
    /// async-signal-safe, so safe after `fork` too.
    func cancelQueryInFlight() {
        guard let database, let inFlight = database.inFlight else { return }
        let child = fork()
        if child == 0 {
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            _ = Glibc.signal(SIGALRM, SIG_DFL)
            alarm(Daemon.cancelSeconds)
            _exit(database.cancel() == nil ? 0 : 1)
        }
        if child < 0 {
            logger.warning("could not cancel the query in flight", metadata: ["error": "\(SystemError(errno: errno, operation: "fork", path: ""))"])
        } else {
            logger.info("asked the server to cancel the query in flight", metadata: ["query": "\(inFlight.request.name)", "cancel_pid": "\(child)"])
        }
    }

    /// The longest the cancel request may take (the child is killed by SIGALRM then).
    static let cancelSeconds: UInt32 = 3
}
