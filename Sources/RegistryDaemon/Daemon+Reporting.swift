import Logging
import RegistryCore
import RegistrySystem

/// Log lines for what was done and found, and the STATUS= line for systemd.
extension Daemon {
    /// Logs what a step did. Failures are logged by kind: once when a kind starts (how many
    /// entries, one example), once when it clears; each entry's only at debug level. The
    /// failed entries are retried with backoff. `entries`: the entries the step looked at
    /// (`nil`: a full sweep, every entry).
    func report(_ outcome: SyncOutcome, entries: Set<String>?) {
        for persona in outcome.created {
            logger.info("created the persona directory", metadata: ["slug": "\(persona.slug)", "id": "\(persona.id)"])
        }
        for persona in outcome.rewritten {
            logger.info("wrote the identity file", metadata: ["slug": "\(persona.slug)", "id": "\(persona.id)"])
        }
        for (persona, files) in outcome.seeded {
            logger.info("created missing seed files from the templates",
                        metadata: ["slug": "\(persona.slug)", "id": "\(persona.id)", "files": "\(files.joined(separator: ","))"])
        }
        for failure in outcome.failures {
            logger.debug("could not bring an entry in step", metadata: ["slug": "\(failure.slug)", "error": "\(failure.detail)"])
        }
        let change = entries.map { failures.replace(slugs: $0, with: outcome.failures) } ?? failures.replaceAll(with: outcome.failures)
        for started in change.started {
            logger.error("could not bring entries in step; retrying with backoff, logged again when it clears", metadata: [
                "failure": "\(started.example.kind)", "entries": "\(started.entries)", "example": "\(started.example.detail)"])
        }
        for kind in change.cleared {
            logger.notice("entries back in step", metadata: ["failure": "\(kind)"])
        }
        state.note(.repairsFinished(failed: Set(outcome.failures.map(\.slug))), now: MonotonicClock.microseconds)
    }

    func log(_ change: FindingLedger.Change) {
        for finding in change.new {
            var metadata: Logger.Metadata = ["slug": "\(finding.slug)", "detail": "\(finding.detail)"]
            if let id = finding.personaID { metadata["id"] = "\(id)" }
            logger.warning("finding: \(finding.kind.rawValue)", metadata: metadata)
        }
        for finding in change.resolved {
            var metadata: Logger.Metadata = ["slug": "\(finding.slug)"]
            if let id = finding.personaID { metadata["id"] = "\(id)" }
            logger.info("resolved: \(finding.kind.rawValue)", metadata: metadata)
        }
    }

    var status: String {
        "STATUS=\(known.count) personas (\(known.values.count { $0.status == .active }) active), "
            + "\(ledger.current.count) findings, "
            + (failures.current.isEmpty ? "" : "\(failures.count) failing (\(failures.current.keys.sorted().joined(separator: "; "))), ")
            + (state.treeMissing ? "tree missing, " : "")
            + (database != nil ? "listening" : connectionProblem.map { "waiting for PostgreSQL (\($0))" } ?? "waiting for PostgreSQL")
    }

    func updateStatus() {
        notifier.send([status])
    }
}
