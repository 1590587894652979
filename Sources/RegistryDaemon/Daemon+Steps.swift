import Logging
import RegistryCore
import RegistryDatabase
import RegistrySystem
import RegistryTree

/// The steps: full sweeps, re-checks of root entries, retries of failed repairs and
/// notification batches, each asked of the database and finished when its rows arrive;
/// then what inotify reported meanwhile, less the step's own changes.
extension Daemon {
    /// Asks for every row; the sweep itself runs when they arrive (`sweepAnswered`).
    func sweep(_ policy: RepairPolicy, now: UInt64) throws {
        // A root removed unnoticed (its parent unwatchable) would fail every entry: make it again.
        if noticeTreeLost(now: now) { return }
        try request(.sweep(policy), now: now)
    }

    /// The rows of every persona arrived at `now`: the pass over the tree.
    func sweepAnswered(_ policy: RepairPolicy, _ rows: DatabaseSide.Rows, now: UInt64) throws {
        // Until the first sweep has finished, a schema or permission problem ends the daemon.
        let startup = !state.sweeps.hasSwept
        let personas: [Persona]
        switch rows {
        case .success(let rows):
            personas = rows
        case .failure(.refused(let postgres)) where startup && postgres.code == .undefinedTable:
            throw FatalCause.schemaMissing(postgres.message)
        case .failure(.connectionLost(let error)):
            return connectionLost(error, now: now)
        case .failure(let failure):
            let refusal: TableError? = switch failure {
            case .refused(let postgres): Grants.missingPrivilege(postgres, command: "serve", needs: Grants.reading)
            case .unreadable(let error): error
            case .connectionLost: nil
            }
            if startup { throw refusal.map(FatalCause.refused) ?? FatalCause.tablesUnreadable(failure) }
            return try sweepFailed(policy, ["error": "\(refusal.map { "\($0)" } ?? failure.description)"], now: now)
        }
        handledSinceTrim += personas.count
        known.swept(personas, policy: policy)
        // The pass watches each directory just before it reads it (`directoryListed`), so
        // nothing that changes during it is missed; one made during it shows on the root watch.
        let outcome: SyncResult
        do {
            let progress = SweepProgress.callback(tree: tree, logger: logger, personas: personas.count)
            outcome = try tree.sweep(personas, policy: policy, progress: progress)
        } catch {
            if startup { throw FatalCause.treeUnsweepable(tree: tree.path, error) }
            let failed = MonotonicClock.microseconds
            note(tree.settle(after: nil), now: failed)
            return try sweepFailed(policy, ["tree": "\(tree.path)", "error": "\(error)"], now: failed)
        }
        // The pass took its time: what follows is scheduled from its end.
        let ended = MonotonicClock.microseconds
        tree.watch(outcome.created.map(\.slug))
        finish(outcome, entries: nil, now: ended)
        if policy == .repairSweep { publisher.repaired(outcome.repairs, in: tree.sync.tree) }
        publisher.sweepEnded(personas: personas.count, now: ended)
        logger.log(.sweepFinished, "sweep finished", [
            "policy": "\(policy == .check ? "check" : "repair")", "personas": "\(personas.count)",
            "created": "\(outcome.created.count)", "rewritten": "\(outcome.rewritten.count)",
            "failed": "\(outcome.failures.count)", "findings": "\(reporter.findings.current.count)", "watches": "\(tree.watchCount)"])
        try sweepEnded(now: ended)
    }

    private func sweepFailed(_ policy: RepairPolicy, _ metadata: Logger.Metadata, now: UInt64) throws {
        logger.log(.sweepFailed, "sweep failed; the next one is scheduled", metadata)
        publisher.failed(metadata["error"].map { "\($0)" } ?? "sweep failed")
        try sweepEnded(failed: policy, now: now)
    }

    /// After every sweep, done or failed: the next periodic one is scheduled (repairing,
    /// when a repairing one failed), READY=1 sent after the first one or after a reload.
    func sweepEnded(failed policy: RepairPolicy? = nil, now: UInt64) throws {
        publisher.sweepEnded(personas: nil, now: now)
        try handle(policy.map { .sweepFailed($0) } ?? .sweepFinished, now: now)
        updateStatus()
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
            // A known persona's directory is watched before it is written (a no-op when it
            // already is). A new persona's directory is made and watched by `apply`; one that
            // was already there is watched already: sweeps watch every directory they list and
            // the root watch reports every one made since. Asking again would cost a failed
            // inotify_add_watch per insert.
            for persona in personas where persona.status == .active && known.isKnown(persona.id) { tree.watch(persona.slug) }
            for rename in known.applied(personas, askedWith: roleNames) {
                logger.log(.roleRenamed, "role renamed", ["role_id": "\(rename.roleID)", "from": "\(rename.from)", "to": "\(rename.to)"])
            }
            let outcome = try tree.apply(personas)
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

    /// The root moved or vanished, unless the configured path still names the open root. The
    /// tree is made again after the debounce (`reopenTree`). Returns whether the tree is missing.
    @discardableResult
    func noticeTreeLost(now: UInt64) -> Bool {
        if state.tree.isMissing { return true }
        if tree.isLive { return false }
        logger.log(.treeLost, "the tree root was moved or removed: making it again, then a repairing sweep", ["tree": "\(tree.treePath)"])
        state.note(.treeLost, now: now)
        updateStatus()
        return true
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
