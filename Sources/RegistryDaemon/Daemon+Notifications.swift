import Logging
import RegistryCore
import RegistrySystem

/// Notifications: drained in batches, rows fetched in one query, applied to the tree.
extension Daemon {
    /// Drains the notifications waiting, within `NotificationDrain.slice`, and flushes
    /// their writes when `NotificationDrain` says so.
    func handleNotifications(read: Bool) throws {
        defer {
            if drain.flushDue(now: MonotonicClock.microseconds, awaitingRows: awaitingBatchRows) { flushTree() }
        }
        let started = MonotonicClock.microseconds
        var read = read
        drain.started()
        // One query at a time: while one is in flight, notifications wait in libpq.
        while !state.isStopping, let database, !database.isBusy {
            // The loop polls without waiting and comes back.
            if drain.sliceUsed(since: started, now: MonotonicClock.microseconds) { return }
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
        guard drain.takeFlush() else { return }
        do {
            try tree.flush()
        } catch {
            logger.error("flushing the tree failed; a sweep follows", metadata: ["error": "\(error)"])
            state.note(.treeNeedsSweep, now: MonotonicClock.microseconds)
        }
    }

    /// Whether a signal waits on the signalfd (checked between batches so TERM stops promptly).
    var signalsPending: Bool {
        (try? Poller.wait([signals.rawValue], timeoutMilliseconds: 0).first?.readable) == true
    }

    var awaitingBatchRows: Bool {
        if case .batch = database?.inFlight?.request { true } else { false }
    }

    /// A notification is a hint, never a fact: anyone who can connect may send one. What a
    /// batch names is looked up (`batchAnswered` gets the rows), and only what the tables
    /// confirm is done and logged: rows that exist are applied (a "delete" of one is nothing),
    /// a known persona whose row is gone is deleted (whatever the payload said), a role counts
    /// as renamed only when its name differs from the one its personas were last written with.
    func apply(_ batch: NotificationBatch) throws {
        if !batch.unreadable.isEmpty {
            lastJunkPayload = batch.unreadable.last
            try perform(state.handle(.junkNotifications(batch.unreadable.count), now: MonotonicClock.microseconds))
        }
        // The tree is being made again: its repairing sweep covers what these said.
        if state.treeMissing { return }
        let roleNames = knownRoles.filter { batch.roleIDs.contains($0.key) }
        guard !batch.namedPersonaIDs.isEmpty || !roleNames.isEmpty else { return }
        try request(.batch(batch, roleNames: roleNames))
    }

    /// The rows of what `batch` named, and of the roles of `roleNames` that were renamed.
    func batchAnswered(_ batch: NotificationBatch, roleNames: [Int: String], _ rows: Result<[Persona], Error>) throws {
        let named = batch.namedPersonaIDs
        var applied: SyncOutcome?
        do {
            let personas = try rows.get()
            handledSinceTrim += personas.count
            var renamed: [Int: String] = [:]
            for persona in personas {
                if let old = roleNames[persona.roleID], old != persona.role { renamed[persona.roleID] = persona.role }
                // A persona's own notification does not settle its role's name: the rename's
                // notification may still come, and then every persona of the role follows it.
                if knownRoles[persona.roleID] == nil { knownRoles[persona.roleID] = persona.role }
            }
            for (id, name) in renamed.sorted(by: { $0.key < $1.key }) {
                logger.info("role renamed", metadata: ["role_id": "\(id)", "from": "\(roleNames[id] ?? "")", "to": "\(name)"])
                knownRoles[id] = name
            }
            // A known persona's directory is watched before it is written (a no-op when it
            // already is). A new persona's directory is made and watched by `apply`; one that
            // was already there is watched already: sweeps watch every directory they list and
            // the root watch reports every one made since. Asking again would cost a failed
            // inotify_add_watch per insert.
            for persona in personas where persona.status == .active && known[persona.id] != nil { watchOne(persona.slug) }
            for persona in personas { known[persona.id] = (persona.slug, persona.status) }
            let outcome = try tree.apply(personas, progress: stepProgress)
            applied = outcome
            if outcome.wrote { drain.wrote(now: MonotonicClock.microseconds) }
            report(outcome, entries: Set(personas.map(\.slug)))
            log(ledger.replace(slugs: Set(personas.map(\.slug)), with: outcome.findings))
            let found = Set(personas.map(\.id))
            var orphans: Set<String> = []
            for id in named.subtracting(found).sorted() {
                // Named but not in the table: deleted if it was known, else nothing at all.
                guard let slug = known.removeValue(forKey: id)?.slug else {
                    logger.debug("a notification named a persona that does not exist; nothing to do", metadata: ["id": "\(id)"])
                    continue
                }
                logger.info("persona deleted; its directory stays (never deleted)", metadata: ["id": "\(id)", "slug": "\(slug)"])
                orphans.insert(slug)
            }
            if !orphans.isEmpty {
                let outcome = try tree.recheck(orphans, personas: [], policy: .check)
                log(ledger.replace(slugs: orphans, with: outcome.findings))
            }
            updateStatus()
        } catch {
            if isConnectionLoss(error) { connectionLost(error); return }
            // What they carried (a rename, an update) only a repairing sweep writes.
            logger.error("applying notifications failed; a repairing sweep follows", metadata: ["error": "\(error)"])
            state.note(.notificationsLost, now: MonotonicClock.microseconds)
        }
        try settleTreeChanges(after: applied)
    }

    /// Junk on the channel, at most once per `--junk-sweep-interval`: how much, and the latest.
    func warnJunk(_ count: Int) {
        let payload = lastJunkPayload ?? ""
        logger.warning("ignoring notifications that are not ours; one sweep follows, at most one per interval", metadata: [
            "count": "\(count)", "interval_s": "\(configuration.junkSweepIntervalSeconds)",
            "latest": "\(payload.count > 200 ? String(payload.prefix(200)) + "..." : payload)"])
    }
}
