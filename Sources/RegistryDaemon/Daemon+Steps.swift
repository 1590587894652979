import Logging
import RegistryCore
import RegistryDatabase
import RegistrySystem
import RegistryTree

/// The steps: full sweeps, re-checks of root entries, retries of failed repairs and
/// notification batches, each asked of the database and finished when its rows arrive;
/// then what inotify reported meanwhile, less the step's own changes.
extension Daemon {
    /// Asks for the first page of rows; each page is brought in step as it arrives (`sweepAnswered`).
    func sweep(_ policy: RepairPolicy, now: UInt64) throws {
        // A root removed unnoticed (its parent unwatchable) would fail every entry: make it again.
        if noticeTreeLost(now: now) { return }
        try request(.sweep(policy), now: now)
    }

    /// A page of the sweep's rows arrived at `now` (`PagedSweep`): its entries are brought in
    /// step, then the notifications that came meanwhile are applied before the next page is
    /// asked for; after the last page, the root entries no row claims.
    func sweepAnswered(_ policy: RepairPolicy, _ rows: DatabaseSide.Rows, now: UInt64) throws {
        // Until the first sweep has finished, a schema or permission problem ends the daemon.
        let startup = !state.sweeps.hasSwept
        let personas: [Persona]
        switch rows {
        case .success(let rows): personas = rows
        case .failure(.connectionLost(let error)): return connectionLost(error, now: now)
        case .failure(let failure): return try sweepFailed(policy, ["error": "\(try failure.sweepRefusal(startup: startup))"], now: now)
        }
        guard let sweep = state.sweeps.current else { return }
        if sweep.isFirstPage { sweepProgress = SweepProgress(tree: tree, logger: logger) }
        handledSinceTrim += personas.count
        known.sweptPage(personas, policy: policy, first: sweep.isFirstPage)
        // Each directory is watched just before it is read (`directoryListed`), so nothing that
        // changes during the sweep is missed; one made during it shows on the root watch.
        let outcome: SyncResult
        do {
            outcome = try tree.sweepPage(personas, policy: policy, progress: sweepProgress?.entryHandled ?? {})
        } catch {
            return try sweepPassFailed(policy, error, startup: startup)
        }
        let read = MonotonicClock.microseconds
        sweepProgress?.personas += personas.count
        finishPage(outcome, policy, entries: Set(personas.map(\.slug)), now: read)
        let page = PagedSweep.Page(rows: personas.count, lastID: personas.last?.id, created: outcome.created.count,
                                   rewritten: outcome.rewritten.count, failed: outcome.failures.count)
        guard case .page(let after)? = state.sweepPageRead(page) else { return try sweepUnclaimed(policy, startup: startup) }
        // One query at a time: the batch of what was notified meanwhile goes before the next page.
        try handleNotifications(read: true)
        try request(.sweepPage(policy, after: after), now: read)
    }

    /// After the last page: the personas no page saw are forgotten, then the root entries no
    /// row claims (orphans, strays, leftovers) are found; the sweep ends.
    private func sweepUnclaimed(_ policy: RepairPolicy, startup: Bool) throws {
        known.sweepEnded()
        let claimed = known.slugs
        let outcome: SyncResult
        do {
            outcome = try tree.sweepUnclaimed(claimed: claimed, policy: policy, progress: sweepProgress?.entryHandled ?? {})
        } catch {
            return try sweepPassFailed(policy, error, startup: startup)
        }
        // The pass took its time: what follows is scheduled from its end.
        let ended = MonotonicClock.microseconds
        // About every entry no row claims: those listed, and those the ledgers hold that are gone.
        finishPage(outcome, policy, entries: reporter.entries(notIn: claimed).union(outcome.remaining.map(\.slug)), now: ended)
        let total = state.sweeps.current?.total ?? PagedSweep.Page(rows: 0, lastID: nil)
        // The record goes into the root the configured path names now; a root moved away
        // during the sweep is left untouched (the record is dropped with the sweep).
        if policy == .repairSweep, let live = tree.liveTree { publisher.repaired(in: live) }
        publisher.sweepEnded(personas: total.rows, now: ended)
        reporter.sweepFinished(policy, total, watches: tree.watchCount)
        try sweepEnded(now: ended)
    }

    /// What a page or the last pass did: reported as a step on `entries`, its repairs kept
    /// for a repairing sweep's record (the first `RepairSweepRecord.entryLimit`, the rest counted).
    private func finishPage(_ outcome: SyncResult, _ policy: RepairPolicy, entries: Set<String>, now: UInt64) {
        tree.watch(outcome.created.map(\.slug))
        finish(outcome, entries: entries, now: now)
        if policy == .repairSweep { publisher.record(outcome.repairs) }
    }

    /// A page's or the last pass's work on the tree failed (a flush, the root unlistable).
    private func sweepPassFailed(_ policy: RepairPolicy, _ error: any Error, startup: Bool) throws {
        if startup { throw FatalCause.treeUnsweepable(tree: tree.path, error) }
        let failed = MonotonicClock.microseconds
        note(tree.settle(after: nil), now: failed)
        try sweepFailed(policy, ["tree": "\(tree.path)", "error": "\(error)"], now: failed)
    }

    private func sweepFailed(_ policy: RepairPolicy, _ metadata: Logger.Metadata, now: UInt64) throws {
        logger.log(.sweepFailed, "sweep failed; the next one is scheduled", metadata)
        publisher.failed(metadata["error"].map { "\($0)" } ?? "sweep failed")
        try sweepEnded(failed: policy, now: now)
    }

    /// After every sweep, done, failed or left to a later one: the next periodic one is scheduled
    /// (repairing, when a repairing one failed), READY=1 sent after the first one or after a reload.
    func sweepEnded(failed policy: RepairPolicy? = nil, now: UInt64) throws {
        known.sweepAbandoned()
        sweepProgress = nil
        publisher.sweepEnded(personas: nil, now: now)
        try handle(policy.map { .sweepFailed($0) } ?? .sweepFinished, now: now)
        updateStatus()
    }

    /// Re-checks entries after their events settled; `.check` creates only what is missing.
    func recheck(_ names: Set<String>, now: UInt64) throws {
        logger.log(.recheck, "re-check", ["entries": "\(names.sorted().joined(separator: ","))", "count": "\(names.count)"])
        try request(.recheck(names, policy: .check), now: now)
    }

    /// The rows of these root entries arrived (`recheck`, `retryRepairs`).
    func recheckAnswered(_ names: Set<String>, policy: RepairPolicy, _ rows: DatabaseSide.Rows, now: UInt64) throws {
        handledSinceTrim += names.count
        if case .failure(.connectionLost(let error)) = rows { return connectionLost(error, now: now) }
        do {
            let personas = try rows.get()
            for name in names where Slug.isTreeName(name) { tree.watchQuietly(name) }
            let outcome = try tree.recheck(names, personas: personas, policy: policy)
            tree.watch(outcome.created.map(\.slug))
            finish(outcome, entries: names, now: MonotonicClock.microseconds)
            updateStatus()
        } catch {
            let failed = MonotonicClock.microseconds
            if policy == .repairSweep {
                logger.log(.retryFailed, "retrying failed repairs failed; retried later", ["error": "\(error)"])
                state.note(.stepFailed(.retry(names)), now: failed)
            } else {
                logger.log(.recheckFailed, "re-check failed; a sweep follows", ["error": "\(error)"])
                state.note(.stepFailed(.recheck), now: failed)
            }
            note(tree.settle(after: nil), now: failed)
        }
    }

    /// The rows of what `batch` named, and of the roles of `roleNames` that were renamed:
    /// rows that exist are applied (a "delete" of one is nothing), a known persona whose row
    /// is gone is deleted (whatever the payload said), a role counts as renamed only when its
    /// name differs from the one its personas were last written with.
    func batchAnswered(_ batch: NotificationBatch, roleNames: [Int: String], _ rows: DatabaseSide.Rows, now: UInt64) throws {
        if case .failure(.connectionLost(let error)) = rows { return connectionLost(error, now: now) }
        do {
            let personas = try rows.get()
            handledSinceTrim += personas.count
            // A known persona's directory is watched before it is written (a no-op if it is). A new
            // one's is presumed missing (its rename is the look, `TreeSync.apply`) and watched as made;
            // were it there, it is watched already (sweeps watch all they list, the root watch the rest).
            var presumedMissing: Set<String> = []
            for persona in personas where persona.status == .active {
                if known.isKnown(persona.id) { tree.watch(persona.slug) } else { presumedMissing.insert(persona.slug) }
            }
            for rename in known.applied(personas, askedWith: roleNames) {
                logger.log(.roleRenamed, "role renamed", ["role_id": "\(rename.roleID)", "from": "\(rename.from)", "to": "\(rename.to)"])
            }
            let outcome = try tree.apply(personas, presumedMissing: presumedMissing)
            let applied = MonotonicClock.microseconds
            if outcome.wrote { drain.wrote(now: applied) }
            publisher.directoriesMade(outcome.created.count, notifiedAt: batch.receivedAt, now: applied)
            let (deleted, unknown) = known.deleted(named: batch.namedPersonaIDs, found: personas)
            for id in unknown {
                logger.log(.unknownPersonaNamed, "a notification named a persona that does not exist; nothing to do", ["id": "\(id)"])
            }
            for (id, slug) in deleted {
                logger.log(.personaDeleted, "persona deleted; its directory stays (never deleted)", ["id": "\(id)", "slug": "\(slug)"])
            }
            let orphans = Set(deleted.map(\.slug))
            finish(outcome, entries: Set(personas.map(\.slug)), now: applied)
            if !orphans.isEmpty {
                reporter.found(try tree.recheck(orphans, personas: [], policy: .check).remaining, about: orphans)
            }
            updateStatus()
        } catch {
            logger.log(.notificationsFailed, "applying notifications failed; a repairing sweep follows", ["error": "\(error)"])
            let failed = MonotonicClock.microseconds
            state.note(.stepFailed(.notifications), now: failed)
            note(tree.settle(after: nil), now: failed)
        }
    }

    /// The end of a step that did `outcome` on `entries` (`nil`: every entry): what it did and
    /// found is reported, its failures retried with backoff, and what inotify reported
    /// meanwhile that was not its own is noted.
    private func finish(_ outcome: SyncResult, entries: Set<String>?, now: UInt64) {
        publisher.counted(outcome)
        let failed = reporter.report(outcome, entries: entries)
        state.note(.repairsFinished(failed: failed), now: now)
        note(tree.settle(after: outcome), now: now)
        reporter.found(outcome.remaining, about: entries)
    }

    /// What a person changed in the tree, told to the state machine.
    func note(_ changes: [DaemonState.Change], now: UInt64) {
        for change in changes {
            if change == .treeLost { noticeTreeLost(now: now) } else { state.note(change, now: now) }
        }
    }
}
