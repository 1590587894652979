import Logging
import RegistryCore
import RegistryTree

/// What the daemon says about what its steps did and found: a line per
/// directory made or file written, findings when they appear and when they are
/// resolved, failures by kind (once when a kind starts, how many entries and one
/// example; once when it clears; each entry's only at debug level), and the
/// `STATUS=` line for systemd.
struct StepReporter {
    var logger: Logger
    /// The findings logged and not yet resolved.
    private(set) var findings = FindingLedger()
    /// Entries that could not be brought in step, by kind.
    private(set) var failures = FailureLedger()

    init(logger: Logger) {
        self.logger = logger
    }

    /// Logs what a step did. `entries`: the entries the step looked at (`nil`: a full sweep,
    /// every entry). Returns the entries that failed (retried with backoff).
    mutating func report(_ outcome: SyncResult, entries: Set<String>?) -> Set<String> {
        // The lines per persona (all three events at info level), through one buffer written
        // at the end (`LogLineBuffer`) when the handler is the daemon's own; a test's handler
        // gets them through the logger.
        let perPersona = !outcome.created.isEmpty || !outcome.rewritten.isEmpty || !outcome.seeded.isEmpty
        var lines = perPersona ? (logger.handler as? StderrLogHandler)?.lineBuffer(level: DaemonEvent.directoryCreated.level) : nil
        for persona in outcome.created {
            log(.directoryCreated, "created the persona directory", persona, into: &lines)
        }
        for persona in outcome.rewritten {
            log(.identityWritten, "wrote the identity file", persona, into: &lines)
        }
        for (persona, files) in outcome.seeded {
            log(.seedFilesCreated, "created missing seed files from the templates", persona, files: files, into: &lines)
        }
        lines?.flush()
        for failure in outcome.failures {
            logger.log(.entryFailed, "could not bring an entry in step", ["slug": "\(failure.slug)", "error": "\(failure.detail)"])
        }
        let change = entries.map { failures.replace(slugs: $0, with: outcome.failures) } ?? failures.replaceAll(with: outcome.failures)
        for started in change.started {
            logger.log(.failuresStarted, "could not bring entries in step; retrying with backoff, logged again when it clears",
                       ["failure": "\(started.example.kind)", "entries": "\(started.entries)", "example": "\(started.example.detail)"])
        }
        for kind in change.cleared {
            logger.log(.failuresCleared, "entries back in step", ["failure": "\(kind)"])
        }
        return Set(outcome.failures.map(\.slug))
    }

    /// A line about `persona`, into `lines` when there is a buffer, else through the logger:
    /// the same bytes either way.
    private func log(_ event: DaemonEvent, _ message: String, _ persona: Persona, files: [String]? = nil,
                     into lines: inout LogLineBuffer?) {
        if lines != nil {
            lines!.append(event, message, slug: persona.slug, id: persona.id, files: files)
        } else if let files {
            logger.log(event, message, ["slug": "\(persona.slug)", "id": "\(persona.id)", "files": "\(files.joined(separator: ","))"])
        } else {
            logger.log(event, message, ["slug": "\(persona.slug)", "id": "\(persona.id)"])
        }
    }

    /// The findings about `slugs` are now `found` (`nil`: about every entry, after a sweep).
    mutating func found(_ found: [Finding], about slugs: Set<String>?) {
        let change = slugs.map { findings.replace(slugs: $0, with: found) } ?? findings.replaceAll(with: found)
        for finding in change.new {
            logger.log(.finding, "finding: \(finding.kind.rawValue)", metadata(finding, detail: true))
        }
        for finding in change.resolved {
            logger.log(.resolved, "resolved: \(finding.kind.rawValue)", metadata(finding, detail: false))
        }
    }

    private func metadata(_ finding: Finding, detail: Bool) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["slug": "\(finding.slug)", "kind": "\(finding.kind.rawValue)"]
        if detail { metadata["detail"] = "\(finding.detail)" }
        if let id = finding.personaID { metadata["id"] = "\(id)" }
        return metadata
    }

    /// A sweep's last pass ended: what its pages read and did.
    func sweepFinished(_ policy: RepairPolicy, _ total: PagedSweep.Page, watches: Int) {
        logger.log(.sweepFinished, "sweep finished", [
            "policy": "\(policy == .check ? "check" : "repair")", "personas": "\(total.rows)",
            "created": "\(total.created)", "rewritten": "\(total.rewritten)", "failed": "\(total.failed)",
            "findings": "\(findings.current.count)", "watches": "\(watches)"])
    }

    /// Junk on the channel, at most once per `interval` seconds: how much, and the latest.
    func warnJunk(_ count: Int, latest payload: String, interval: Int) {
        logger.log(.junkIgnored, "ignoring notifications that are not ours; one sweep follows, at most one per interval",
                   ["count": "\(count)", "interval_s": "\(interval)",
                    "latest": "\(payload.count > 200 ? String(payload.prefix(200)) + "..." : payload)"])
    }

    /// The entries the ledgers hold a finding or a failure about that are not among `claimed`
    /// (after a sweep's last page: entries no row claims, gone from the tree or not).
    func entries(notIn claimed: Set<String>) -> Set<String> {
        var entries = Set(findings.current.lazy.map(\.slug).filter { !claimed.contains($0) })
        for slugs in failures.current.values { entries.formUnion(slugs.subtracting(claimed)) }
        return entries
    }

    /// `STATUS=`: counts, findings, failures by kind, and what the daemon waits for.
    func status(known: KnownPersonas, treeMissing: Bool, listening: Bool, connectionProblem: String?) -> String {
        "STATUS=\(known.count) personas (\(known.activeCount) active), "
            + "\(findings.current.count) findings, "
            + (failures.current.isEmpty ? "" : "\(failures.count) failing (\(failures.current.keys.sorted().joined(separator: "; "))), ")
            + (treeMissing ? "tree missing, " : "")
            + (listening ? "listening" : connectionProblem.map { "waiting for PostgreSQL (\($0))" } ?? "waiting for PostgreSQL")
    }
}
