import Logging
import RegistryCore
import RegistrySystem

/// The database side of the loop: connecting and losing the connection,
/// queries sent and answered, notifications drained in batches.
extension Daemon {
    /// Connects; the set-up that follows is answered through the loop (`databaseReadable`), by
    /// the deadline `DaemonState` keeps from the connection's `connect_timeout`.
    func connect() throws {
        let attempt = try database.connect(url: configuration.databaseURL, interrupt: signals.rawValue,
                                           failedAttempts: state.connection.backoff.attempts)
        let now = MonotonicClock.microseconds
        if attempt == .settingUp { state.note(.settingUp(timeoutMicroseconds: database.setUpTimeoutMicroseconds), now: now) }
        try attempted(attempt, now: now)
    }

    /// The set-up was not answered in time (`DaemonState`): the attempt fails, as one refused.
    func abandonSetUp(now: UInt64) throws {
        try attempted(database.setUpTimedOut(), now: now)
    }

    /// Where a connection attempt stands after connecting or after a set-up statement's answer.
    func attempted(_ attempt: DatabaseSide.Attempt, now: UInt64) throws {
        switch attempt {
        case .settingUp:
            state.note(.querySent, now: now)
        case .connected:
            publisher.connected()
            tree.serve(database.layout)
            try handle(.connected, now: now)
        case .interrupted:
            // The loop handles the signal next; retried (soon) if it was not TERM.
            reconnectLater(now: now)
        case .failed(let changed):
            publisher.failed(database.problem ?? "cannot connect to PostgreSQL")
            reconnectLater(now: now)
            database.logFailedAttempt(changed: changed, attempts: state.connection.backoff.attempts,
                                      delay: state.connection.retryDelay(now: now))
        }
    }

    func reconnectLater(now: UInt64) {
        // Not reachable before the first sweep: READY=1 now, with STATUS= saying what it waits for.
        // (`.disconnected` returns nothing else: the reconnect comes when the timer says.)
        if state.handle(.disconnected, now: now).contains(.notifyReady) { notifyReady() } else { updateStatus() }
    }

    /// The connection failed under a query or a read: keep the tree side running, retry with backoff.
    func connectionLost(_ error: Error, now: UInt64) {
        database.lost(error)
        known.sweepAbandoned()
        publisher.failed("\(error)")
        // A sweep in flight went with the connection: the status says "waiting", not "sweeping".
        publisher.sweepEnded(personas: nil, now: now)
        reconnectLater(now: now)
    }

    /// Retries the entries whose repair failed (a full disk, a permission), with the
    /// repairs a repairing sweep makes: what the failed step meant to write.
    func retryRepairs(_ names: Set<String>, now: UInt64) throws {
        logger.log(.retryingRepairs, "retrying failed repairs", ["count": "\(names.count)"])
        try request(.recheck(names, policy: .repairSweep), now: now)
    }

    /// Sends `request` at `now` (or queues it); an answer at once goes where a later one would.
    func request(_ request: DatabaseRequest, now: UInt64) throws {
        let result = database.send(request)
        if case .waiting = result { return }
        // A sweep begins when its query goes out (a queued one may be merged with another first):
        // its rows are read after this moment, which is what a waiting `reload` compares with.
        if case .sweep(let policy) = request {
            publisher.sweepStarted(policy, now: now)
            state.note(.sweepSent(policy), now: now)
            refreshPublished()
        }
        switch result {
        case .sent: state.note(.querySent, now: now)
        case .waiting: break
        case .answered(let answer): try answered(request, answer, now: now)
        }
    }

    /// The libpq socket is readable while a statement is in flight: read, and once answered go
    /// on with the set-up or finish the step.
    func databaseReadable() throws {
        let now = MonotonicClock.microseconds
        let answer: DatabaseSide.Answer?
        do {
            answer = try database.readable()
        } catch {
            connectionLost(error, now: now)
            return
        }
        guard let answer else { return }
        if let waited = state.queryAnswered(now: now) {
            logger.log(.queryAnswered, "the query that waited long was answered", ["query": "\(answer.name)", "waited_ms": "\(waited / 1_000)"])
        }
        switch answer {
        case .setUp(let step, let result): try attempted(database.setUpAnswered(step, result), now: now)
        case .rows(let request, let result): try answered(request, result, now: now)
        }
    }

    /// The answer to `request`, arrived at `now`: its step runs, then the next request queued.
    func answered(_ request: DatabaseRequest, _ result: DatabaseSide.Rows, now: UInt64) throws {
        if case .success = result, noticeTreeLost(now: now) {
            // The tree was moved or removed while the query waited: nothing is written into the
            // old root, wherever it is now; the repairing sweep once it is made again covers this.
            logger.log(.answerLeftToSweep, "the tree is missing: the answer is left to the repairing sweep", ["query": "\(request.name)"])
            if request.isSweep { try sweepEnded(now: now) }
        } else {
            switch request {
            case .sweep(let policy), .sweepPage(let policy, _): try sweepAnswered(policy, result, now: now)
            case .recheck(let names, let policy): try recheckAnswered(names, policy: policy, result, now: now)
            case .batch(let batch, let roleNames): try batchAnswered(batch, roleNames: roleNames, result, now: now)
            }
        }
        // Sent after the step, which may have taken long (a sweep's pass): the time is read again.
        if !state.isStopping, let next = database.nextQueued() { try self.request(next, now: MonotonicClock.microseconds) }
    }

    /// Drains the notifications waiting, within `NotificationDrain.slice`, and flushes
    /// their writes when `NotificationDrain` says so.
    func handleNotifications(read: Bool) throws {
        defer {
            if drain.flushDue(now: MonotonicClock.microseconds, awaitingRows: database.awaitingBatchRows) { flushTree() }
        }
        let started = MonotonicClock.microseconds
        var read = read
        drain.started()
        // One query at a time: while one is in flight, notifications wait in libpq.
        while !state.isStopping, database.isListening, !database.isBusy {
            // The loop polls without waiting and comes back. Each round is after the last one's
            // batch was applied: its own time.
            let now = MonotonicClock.microseconds
            if drain.sliceUsed(since: started, now: now) { return }
            let batch: NotificationBatch
            do {
                // Drain everything the server has sent, then fetch the rows once.
                batch = NotificationBatch(payloads: try database.receive(read: read), receivedAt: now)
                publisher.received(batch)
            } catch {
                connectionLost(error, now: now)
                return
            }
            // Later rounds read the socket again (without blocking): what arrived meanwhile
            // belongs to the same burst and is flushed with it.
            read = true
            guard !batch.isEmpty else { return }
            try apply(batch, now: now)
            // A batch that sent its query ends the loop anyway (one query at a time), and the
            // loop's own poll sees a signal: only a batch that asked nothing looks for one here.
            if !database.isBusy, signalsPending { return }
        }
    }

    /// Flushes what notifications wrote (`syncfs`); a failure is logged and a sweep follows.
    func flushTree() {
        guard drain.takeFlush() else { return }
        do {
            try tree.flush()
        } catch {
            logger.log(.flushFailed, "flushing the tree failed; a sweep follows", ["error": "\(error)"])
            state.note(.stepFailed(.flush), now: MonotonicClock.microseconds)
        }
    }

    /// A notification is a hint, never a fact: anyone who can connect may send one. What a
    /// batch names is looked up (`batchAnswered` gets the rows), and only what the tables
    /// confirm is done and logged (`KnownPersonas`).
    func apply(_ batch: NotificationBatch, now: UInt64) throws {
        if !batch.unreadable.isEmpty { try handle(.junkNotifications(batch.unreadable), now: now) }
        // The tree is being made again: its repairing sweep covers what these said.
        if state.tree.isMissing { return }
        let roleNames = known.roleNames(of: batch.roleIDs)
        guard !batch.namedPersonaIDs.isEmpty || !roleNames.isEmpty else { return }
        try request(.batch(batch, roleNames: roleNames), now: now)
    }

    /// Makes the tree again, or retries with backoff; then a repairing sweep recreates every
    /// persona's directory. Another daemon holding the new root's lock ends this one.
    func reopenTree(now: UInt64) throws {
        do {
            try tree.reopen(configuration)
        } catch let error as FatalCause {
            // Read-only here, or the new root's lock cannot be taken (another daemon holds it).
            throw error
        } catch {
            state.note(.treeReopenFailed, now: now)
            let retry = state.tree.retryAt.map { $0 > now ? ($0 - now) / 1_000 : 0 } ?? 0
            logger.log(.treeRemakeFailed, "cannot make the tree again; nothing is kept in step until it exists",
                       ["tree": "\(tree.treePath)", "error": "\(error)", "retry_in_ms": "\(retry)"])
            updateStatus()
            return
        }
        try handle(.treeReopened, now: now)
        updateStatus()
    }
}
