import Logging
import RegistryCore
import RegistrySystem
import RegistryTree

/// Keeps the tree's status file (`ServiceFiles.status`) saying what the daemon does:
/// written when what it says changes, at most once per `interval` (a burst of
/// notifications changes the counts at every batch; the file is not on that path) and
/// when the daemon stops. A repairing sweep's record is written when the sweep ends,
/// before the status that names it, so a reader that sees the one finds the other.
/// The metrics file (`--metrics-file`), when there is one, is written from the same values.
struct StatusPublisher {
    static let interval: UInt64 = 1_000_000

    var status: ServiceStatus
    let logger: Logger
    private var written: ServiceStatus?
    private var writtenAt: UInt64?
    private var warning = FailureWarning()
    private var everConnected = false
    var counters = DaemonCounters()
    var metrics: MetricsFile?
    /// The sweep under way: when it began and its policy.
    private(set) var sweep: (started: UInt64, policy: RepairPolicy)?
    /// The repairs of the repairing sweep under way, as its record will list them.
    private var record: RepairSweepRecord?

    init(tree: String, metricsFile: String?, logger: Logger) {
        status = ServiceStatus(pid: CurrentProcess.id, startedAt: UTCTime.now(separated: true), tree: tree)
        metrics = metricsFile.map { MetricsFile(path: $0, logger: logger) }
        self.logger = logger
    }

    /// When the next write is due, `nil` while the files say what the daemon does.
    var dueAt: UInt64? {
        let statusDue = status == written ? nil : writtenAt.map { $0 + Self.interval } ?? 0
        return [statusDue, metrics?.dueAt(status, counters)].compactMap { $0 }.min()
    }

    /// `tree`: the open root while the configured path still names it, else `nil` (a root
    /// moved away is left untouched; the file waits for the tree made again).
    mutating func publishIfDue(now: UInt64, tree: () -> PersonaTree?) {
        metrics?.writeIfDue(status, counters, now: now)
        guard status != written, (writtenAt.map { $0 + Self.interval } ?? 0) <= now else { return }
        guard let tree = tree() else {
            writtenAt = now  // tried again an interval later, not at every turn of the loop
            return
        }
        publish(in: tree, now: now)
    }

    /// Both files now (at the stop, whatever the intervals say).
    mutating func publishNow(in tree: PersonaTree?, now: UInt64) {
        metrics?.write(status, counters, now: now)
        if let tree { publish(in: tree, now: now) }
    }

    private mutating func publish(in tree: PersonaTree, now: UInt64) {
        written = status
        writtenAt = now
        write(status.fileText, as: ServiceFiles.status, in: tree)
    }

    /// What the daemon does now, after a step: the counts, the open findings, the phase.
    mutating func refresh(known: KnownPersonas, findings: FindingLedger, failing: Int, treeMissing: Bool, connected: Bool) {
        status.personas = known.count
        status.activePersonas = known.activeCount
        status.failingEntries = failing
        if findings.current.isEmpty {
            status.findings = [:]
        } else {
            var counts: [Finding.Kind: Int] = [:]
            for finding in findings.current { counts[finding.kind, default: 0] += 1 }
            status.findings = counts
        }
        counters.databaseUp = connected
        status.phase = treeMissing ? .treeMissing : sweep != nil ? .sweeping : connected ? .connected : .waitingForPostgreSQL
    }

    mutating func sweepStarted(_ policy: RepairPolicy, now: UInt64) {
        sweep = (now, policy)
        record = RepairSweepRecord(startedMicroseconds: now)
    }

    /// A sweep ended (`personas` swept, or `nil`: it failed or was left to a later one).
    mutating func sweepEnded(personas: Int?, now: UInt64) {
        guard let (started, policy) = sweep else { return }
        sweep = nil
        record = nil
        // Both count finished sweeps only, as the status file and the metric say; a failed
        // one shows in `lastSweep` (`failed`) until the next ends.
        if personas != nil {
            status.sweeps += 1
            counters.sweeps += 1
        }
        status.lastSweep = .init(finishedAt: UTCTime.now(separated: true), milliseconds: Int((now - started) / 1_000),
                                 personas: personas ?? 0, policy: policy == .check ? "check" : "repair", failed: personas == nil)
    }

    /// A page of the repairing sweep under way made `repairs`: kept for its record (the first
    /// `RepairSweepRecord.entryLimit`, the rest counted), not every repair of the sweep.
    mutating func record(_ repairs: [RepairResult]) {
        record?.add(repairs)
    }

    /// The repairing sweep under way ended: its record first, then the status that says so.
    mutating func repaired(in tree: PersonaTree) {
        guard let (started, _) = sweep, let record else { return }
        write(record.fileText, as: ServiceFiles.lastRepair, in: tree)
        status.repairSweepStartedMicroseconds = started
        self.record = nil
    }

    /// Connected (the set-up answered); every connection after the first is a reconnect.
    mutating func connected() {
        if everConnected { counters.reconnects += 1 }
        everConnected = true
    }

    mutating func received(_ batch: NotificationBatch) {
        counters.notifications += batch.payloadCount
        counters.junkNotifications += batch.unreadable.count
    }

    /// What a step wrote, counted.
    mutating func counted(_ outcome: SyncResult) {
        counters.directoriesCreated += outcome.created.count
        counters.repairs += outcome.created.count + outcome.rewritten.count + outcome.seeded.count
    }

    /// `count` directories of personas notified at `notifiedAt` made whole at `now`.
    mutating func directoriesMade(_ count: Int, notifiedAt: UInt64, now: UInt64) {
        guard count > 0, notifiedAt > 0, now >= notifiedAt else { return }
        counters.latency.observe(Double(now - notifiedAt) / 1_000_000, times: count)
    }

    mutating func failed(_ error: String) {
        status.lastError = error
        status.lastErrorAt = UTCTime.now(separated: true)
    }

    private mutating func write(_ text: String, as name: String, in tree: PersonaTree) {
        warning.run({ try ServiceFiles.write(text, as: name, in: tree) }) { [logger] error in
            logger.log(.statusUnwritable, "cannot write the status file; `status`, `reload` and `reconcile` cannot see this daemon's state",
                       ["file": "\(tree.displayPath(name))", "error": "\(error)"])
        }
    }
}
