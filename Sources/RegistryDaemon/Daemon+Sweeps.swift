import Logging
import RegistryCore
import RegistrySystem
import RegistryDatabase

/// Full sweeps and debounced re-checks of root entries.
extension Daemon {
    /// Asks for every row; the sweep itself runs when they arrive (`sweepAnswered`).
    func sweep(_ policy: RepairPolicy) throws {
        // A root removed unnoticed (its parent unwatchable) would fail every entry: make it again.
        if noticeTreeLost(now: MonotonicClock.microseconds) { return }
        try request(.sweep(policy))
    }

    func sweepAnswered(_ policy: RepairPolicy, _ rows: Result<[Persona], Error>) throws {
        // Until the first sweep has finished, a schema or permission problem ends the daemon.
        let startup = !state.hasSwept
        let personas: [Persona]
        do {
            personas = try rows.get()
        } catch {
            if startup, let postgres = error as? PostgresError, postgres.code == .undefinedTable {
                throw StartupError(description: "\(RegistryError.schemaMissing(postgres.message))")
            }
            if isConnectionLoss(error) { connectionLost(error); return }
            let explained = Grants.explained(error, command: "serve", needs: Grants.reading)
            if startup {
                throw StartupError(description: explained is RegistryError
                    ? "\(explained)" : "cannot read the role and persona tables: \(error)")
            }
            logger.error("sweep failed; the next one is scheduled", metadata: ["error": "\(explained)"])
            try sweepEnded(failed: policy)
            return
        }
        handledSinceTrim += personas.count
        known = Dictionary(personas.map { ($0.id, ($0.slug, $0.status)) }, uniquingKeysWith: { $1 })
        // A repairing sweep writes every identity file with its role's current name; a
        // check only reports a stale one, so a rename it sees is still owed to its notification.
        for persona in personas where policy != .check || knownRoles[persona.roleID] == nil {
            knownRoles[persona.roleID] = persona.role
        }
        // The pass watches each directory just before it reads it (`directoryListed`), so
        // nothing that changes during it is missed; one made during it shows on the root watch.
        let outcome: SyncOutcome
        do {
            outcome = try tree.sweep(personas, policy: policy, progress: stepProgress)
        } catch {
            if startup { throw StartupError(description: "cannot sweep the tree \(tree.path): \(error)") }
            logger.error("sweep failed; the next one is scheduled", metadata: ["tree": "\(tree.path)", "error": "\(error)"])
            try settleTreeChanges(after: nil)
            try sweepEnded(failed: policy)
            return
        }
        watchDirectories(outcome.created.map(\.slug))
        report(outcome, entries: nil)
        try settleTreeChanges(after: outcome)
        log(ledger.replaceAll(with: outcome.findings))
        logger.info("sweep finished", metadata: [
            "policy": "\(policy == .check ? "check" : "repair")", "personas": "\(personas.count)",
            "created": "\(outcome.created.count)", "rewritten": "\(outcome.rewritten.count)",
            "failed": "\(outcome.failures.count)", "findings": "\(ledger.current.count)", "watches": "\(watcher.count)"])
        try sweepEnded()
    }

    /// After every sweep, done or failed: the next periodic one is scheduled (repairing,
    /// when a repairing one failed), READY=1 sent after the first one or after a reload.
    func sweepEnded(failed policy: RepairPolicy? = nil) throws {
        try perform(state.handle(policy.map { .sweepFailed($0) } ?? .sweepFinished, now: MonotonicClock.microseconds))
        updateStatus()
    }

    /// Re-checks entries after their events settled; `.check` creates only what is missing.
    func recheck(_ names: Set<String>) throws {
        logger.debug("re-check", metadata: ["entries": "\(names.sorted().joined(separator: ","))", "count": "\(names.count)"])
        try request(.recheck(names, policy: .check))
    }

    /// Retries the entries whose repair failed (a full disk, a permission), with the
    /// repairs a repairing sweep makes: what the failed step meant to write.
    func retryRepairs(_ names: Set<String>) throws {
        logger.debug("retrying failed repairs", metadata: ["count": "\(names.count)"])
        try request(.recheck(names, policy: .repairSweep))
    }

    /// The rows of these root entries arrived (`recheck`, `retryRepairs`).
    func recheckAnswered(_ names: Set<String>, policy: RepairPolicy, _ rows: Result<[Persona], Error>) throws {
        handledSinceTrim += names.count
        var outcome: SyncOutcome?
        do {
            let personas = try rows.get()
            for name in names where Slug.isValid(name) { watcher.watch(name) }
            let result = try tree.recheck(names, personas: personas, policy: policy)
            outcome = result
            watchDirectories(result.created.map(\.slug))
            report(result, entries: names)
            log(ledger.replace(slugs: names, with: result.findings))
            updateStatus()
        } catch {
            if isConnectionLoss(error) {
                connectionLost(error)
            } else if policy == .repairSweep {
                // Still owed: retried with backoff, as a repair that failed.
                logger.error("retrying failed repairs failed; retried later", metadata: ["error": "\(error)"])
                state.note(.repairsFinished(failed: names), now: MonotonicClock.microseconds)
            } else {
                // What changed there is still to be brought in step: a sweep follows (at most
                // one per failure, so a query that keeps failing is not asked again and again).
                logger.error("re-check failed; a sweep follows", metadata: ["error": "\(error)"])
                state.note(.treeNeedsSweep, now: MonotonicClock.microseconds)
            }
        }
        try settleTreeChanges(after: outcome)
    }
}
