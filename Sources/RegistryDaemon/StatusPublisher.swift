import Glibc
import Logging
import RegistryCore
import RegistrySystem
import RegistryTree

/// Keeps the tree's status file (`ServiceFiles.status`) saying what the daemon does:
/// written when what it says changes, at most once per `interval` (a burst of
/// notifications changes the counts at every batch; the file is not on that path) and
/// when the daemon stops. A repairing sweep's record is written when the sweep ends,
/// before the status that names it, so a reader that sees the one finds the other.
struct StatusPublisher {
    static let interval: UInt64 = 1_000_000

    var status: ServiceStatus
    let logger: Logger
    private var written: ServiceStatus?
    private var writtenAt: UInt64?
    private var failing = false
    /// The sweep under way: when it began and its policy.
    private(set) var sweep: (started: UInt64, policy: RepairPolicy)?

    init(tree: String, logger: Logger) {
        status = ServiceStatus(pid: getpid(), startedAt: UTCTime.now(separated: true), tree: tree)
        self.logger = logger
    }

    /// When the next write is due, `nil` while the file says what the daemon does.
    var dueAt: UInt64? {
        guard status != written else { return nil }
        return writtenAt.map { $0 + Self.interval } ?? 0
    }

    /// `tree`: the open root while the configured path still names it, else `nil` (a root
    /// moved away is left untouched; the file waits for the tree made again).
    mutating func publishIfDue(now: UInt64, tree: () -> PersonaTree?) {
        guard let due = dueAt, due <= now else { return }
        guard let tree = tree() else {
            writtenAt = now  // tried again an interval later, not at every turn of the loop
            return
        }
        publish(in: tree, now: now)
    }

    /// Writes the status now (at the stop, whatever the interval says).
    mutating func publish(in tree: PersonaTree, now: UInt64) {
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
        status.phase = treeMissing ? .treeMissing : sweep != nil ? .sweeping : connected ? .connected : .waitingForPostgreSQL
    }

    mutating func sweepStarted(_ policy: RepairPolicy, now: UInt64) {
        sweep = (now, policy)
    }

    /// A sweep ended (`personas` swept, or `nil`: it failed or was left to a later one).
    mutating func sweepEnded(personas: Int?, now: UInt64) {
        guard let (started, policy) = sweep else { return }
        sweep = nil
        status.sweeps += 1
        status.lastSweep = .init(finishedAt: UTCTime.now(separated: true), milliseconds: Int((now - started) / 1_000),
                                 personas: personas ?? 0, policy: policy == .check ? "check" : "repair", failed: personas == nil)
    }

    /// A repairing sweep made `repairs`: its record first, then the status that says so.
    mutating func repaired(_ repairs: [RepairResult], in tree: PersonaTree) {
        guard let (started, policy) = sweep, policy != .check else { return }
        write(RepairSweepRecord(startedMicroseconds: started, repairs: repairs).fileText, as: ServiceFiles.lastRepair, in: tree)
        status.repairSweepStartedMicroseconds = started
    }

    mutating func failed(_ error: String) {
        status.lastError = error
        status.lastErrorAt = UTCTime.now(separated: true)
    }

    /// One warning when writing starts failing (a full disk, a read-only tree), not one a second.
    private mutating func write(_ text: String, as name: String, in tree: PersonaTree) {
        do {
            try ServiceFiles.write(text, as: name, in: tree)
            failing = false
        } catch {
            if !failing {
                logger.log(.statusUnwritable, "cannot write the status file; `status`, `reload` and `reconcile` cannot see this daemon's state",
                           ["file": "\(tree.displayPath(name))", "error": "\(error)"])
            }
            failing = true
        }
    }
}
