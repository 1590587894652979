import Logging

/// Log lines for what was done and found, and the STATUS= line for systemd.
extension Daemon {
    func report(_ outcome: SyncOutcome) {
        for persona in outcome.created {
            logger.info("created the persona directory", metadata: ["slug": "\(persona.slug)", "id": "\(persona.id)"])
        }
        for persona in outcome.rewritten {
            logger.info("wrote the identity file", metadata: ["slug": "\(persona.slug)", "id": "\(persona.id)"])
        }
        for failure in outcome.failures {
            logger.error("could not bring an entry in step", metadata: ["slug": "\(failure.slug)", "error": "\(failure.reason)"])
        }
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
            + (database != nil ? "listening" : connectionProblem.map { "waiting for PostgreSQL (\($0))" } ?? "waiting for PostgreSQL")
    }

    func updateStatus() {
        notifier.send([status])
    }
}
