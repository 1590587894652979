import Logging

/// Notifications: drained in batches, rows fetched in one query, applied to the tree.
extension Daemon {
    /// The longest one call drains notifications before it returns to poll, so timers
    /// (re-checks, sweeps) are served during a steady stream.
    static let drainSlice: UInt64 = 1_000_000
    /// The longest writes of a steady stream of notifications wait for their flush.
    static let flushInterval: UInt64 = 5_000_000

    func handleNotifications(read: Bool) throws {
        // One flush for all the notifications waiting now (a burst of inserts arrives in
        // several batches), not one per batch; in a steady stream every five seconds.
        // While a batch's rows are awaited, its writes (and the flush) are still to come.
        defer {
            if !(notificationsMayWait || awaitingBatchRows) || unflushedSince.map({ MonotonicClock.microseconds - $0 >= Daemon.flushInterval }) == true {
                flushTree()
            }
        }
        let started = MonotonicClock.microseconds
        var read = read
        notificationsMayWait = false
        // One query at a time: while one is in flight, notifications wait in libpq.
        while !state.isStopping, let database, !database.isBusy {
            if MonotonicClock.microseconds - started >= Daemon.drainSlice {
                notificationsMayWait = true  // the loop polls without waiting and comes back
                return
            }
            let batch: NotificationBatch
            do {
                // Drain everything the server has sent, then fetch the rows once.
                batch = NotificationBatch(payloads: try database.receive(read: read))
            } catch {
                connectionLost(error)
                return
            }
            // Later rounds read the socket again (without blocking): what arrived meanwhile
            // belongs to the same burst and is flushed with it.
            read = true
            guard !batch.isEmpty else { return }
            try apply(batch)
            if signalsPending { return }
        }
    }

    /// Flushes what notifications wrote (`syncfs`); a failure is logged and a sweep follows.
    func flushTree() {
        guard unflushedSince != nil else { return }
        unflushedSince = nil
        do {
            try tree.flush()
        } catch {
            logger.error("flushing the tree failed; a sweep follows", metadata: ["error": "\(error)"])
            _ = state.handle(.treeNeedsSweep, now: MonotonicClock.microseconds)
        }
    }

    /// Whether a signal waits on the signalfd (checked between batches so TERM stops promptly).
    var signalsPending: Bool {
        (try? Poller.wait([signals.rawValue], timeoutMilliseconds: 0).first?.readable) == true
    }

    var awaitingBatchRows: Bool {
        if case .batch = database?.inFlight?.request { true } else { false }
    }

    /// Asks for the batch's rows; they are applied when they arrive (`batchAnswered`).
    func apply(_ batch: NotificationBatch) throws {
        for payload in batch.unreadable {
            logger.warning("ignoring a notification that is not ours; a sweep follows", metadata: ["payload": "\(payload)"])
        }
        if !batch.unreadable.isEmpty { _ = state.handle(.treeNeedsSweep, now: MonotonicClock.microseconds) }
        try request(.batch(batch))
    }

    func batchAnswered(_ batch: NotificationBatch, _ rows: Result<[Persona], Error>) throws {
        var applied: SyncOutcome?
        do {
            let personas = try rows.get()
            handledSinceTrim += personas.count
            // A known persona's directory is watched before it is written (a no-op when it
            // already is). A new persona's directory is made and watched by `apply`; one that
            // was already there is watched already: sweeps watch every directory they list and
            // the root watch reports every one made since. Asking again would cost a failed
            // inotify_add_watch per insert.
            for persona in personas where persona.status == .active && known[persona.id] != nil { watchOne(persona.slug) }
            for persona in personas { known[persona.id] = (persona.slug, persona.status) }
            let outcome = try tree.apply(personas, progress: stepProgress)
            applied = outcome
            if outcome.wrote, unflushedSince == nil { unflushedSince = MonotonicClock.microseconds }
            report(outcome)
            log(ledger.replace(slugs: Set(personas.map(\.slug)), with: outcome.findings))
            var orphans: Set<String> = []
            for id in batch.deletedPersonaIDs.sorted() {
                guard let slug = known.removeValue(forKey: id)?.slug else {
                    logger.info("persona deleted", metadata: ["id": "\(id)"])
                    continue
                }
                logger.info("persona deleted; its directory stays (never deleted)", metadata: ["id": "\(id)", "slug": "\(slug)"])
                orphans.insert(slug)
            }
            if !orphans.isEmpty {
                let outcome = try tree.recheck(orphans, personas: [])
                log(ledger.replace(slugs: orphans, with: outcome.findings))
            }
            updateStatus()
        } catch {
            if isConnectionLoss(error) { connectionLost(error); return }
            logger.error("applying notifications failed; a sweep follows", metadata: ["error": "\(error)"])
            _ = state.handle(.treeNeedsSweep, now: MonotonicClock.microseconds)
        }
        try settleTreeChanges(after: applied)
    }
}
