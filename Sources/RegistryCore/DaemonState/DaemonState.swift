/// The daemon's state machine: pure, values in and values out. The loop
/// (`Daemon`) feeds it events with the current monotonic time and performs
/// the actions it returns; the timerfd is armed at `nextDeadline`.
public struct DaemonState: Sendable {
    public var settings: Settings
    public internal(set) var connection: Connection = .disconnected(retryAt: 0)
    public internal(set) var backoff: Backoff
    /// When `READY=1` is sent (a reload owes one).
    public internal(set) var readiness = Readiness()
    /// A sweep has finished (the tree has been compared with the tables once).
    public internal(set) var hasSwept = false
    public internal(set) var isStopping = false
    /// Root entries waiting for their debounced re-check.
    public internal(set) var dirty: Set<String> = []
    /// A full sweep is owed to the tree (overflow, root moved, unknown watch).
    public internal(set) var treeSweepOwed = false
    /// The next full sweep repairs, whatever asked for it: changes may have gone unapplied.
    public internal(set) var repairOwed = false
    public internal(set) var debounceAt: UInt64?
    public internal(set) var periodicSweepAt: UInt64?
    public internal(set) var watchdogAt: UInt64?
    /// When the last full sweep was started (a junk notification's sweep waits for the interval since).
    public internal(set) var lastSweepAt: UInt64?
    /// When the sweep owed to junk notifications runs.
    public internal(set) var junkSweepAt: UInt64?
    /// When junk was last warned about, and how much has come since.
    public internal(set) var junkWarnedAt: UInt64?
    public internal(set) var junkUnwarned = 0
    /// Entries whose repair failed, waiting for their retry at `repairRetryAt`.
    public internal(set) var failedEntries: Set<String> = []
    public internal(set) var repairRetryAt: UInt64?
    /// Seconds, doubling, capped: a full disk or a permission is usually fixed by a person.
    public internal(set) var repairBackoff = Backoff(initialMicroseconds: 1_000_000, capMicroseconds: 30_000_000)
    /// When the query in flight was sent (`nil`: none in flight), and whether it has been
    /// reported as waiting long (once per query).
    public internal(set) var querySentAt: UInt64?
    public internal(set) var queryReportedSlow = false
    /// The tree path names no open root: nothing is swept until it is made again at `treeRetryAt`.
    public internal(set) var treeMissing = false
    public internal(set) var treeRetryAt: UInt64?
    public internal(set) var treeBackoff = Backoff(initialMicroseconds: 1_000_000, capMicroseconds: 30_000_000)

    public init(settings: Settings, backoff: Backoff = Backoff()) {
        self.settings = settings
        self.backoff = backoff
    }

    public var isConnected: Bool { connection == .connected }

    public mutating func handle(_ event: Event, now: UInt64) -> [Action] {
        handle(event, now: now, delay: { $0.nextDelay() })
    }

    /// `delay` draws the next reconnect delay (injectable for tests).
    public mutating func handle(_ event: Event, now: UInt64, delay: (inout Backoff) -> UInt64) -> [Action] {
        if isStopping { return [] }
        switch event {
        case .started:
            if let interval = settings.watchdogMicroseconds { watchdogAt = now + interval }
            return [.connect]
        case .connected:
            connection = .connected
            backoff.reset()
            // Anything may have been missed while disconnected: the repair sweep covers the owed
            // work (once the tree is back, if it is missing).
            if treeMissing { return [] }
            return [sweepStarted(.repairSweep, now: now)]
        case .disconnected:
            connection = .disconnected(retryAt: now + delay(&backoff))
            querySentAt = nil
            // A reload's sweep waits for the reconnection; systemd need not.
            return readiness.nothingToWaitFor() ? [.notifyReady] : []
        case .sweepFailed(let policy):
            if policy == .repairSweep { repairOwed = true }
            let actions = handle(.sweepFinished, now: now, delay: delay)
            // Retried with the repairs' backoff (seconds), not at the periodic interval: what
            // it was to bring in step (a removed directory, a rename) is still owed.
            if !treeMissing {
                treeSweepOwed = true
                let retry = now + delay(&repairBackoff)
                debounceAt = min(debounceAt ?? retry, retry)
            }
            return actions
        case .sweepFinished:
            hasSwept = true
            periodicSweepAt = now + settings.sweepIntervalMicroseconds
            return readiness.sweepEnded() ? [.notifyReady] : []
        case .junkNotifications(let payloads):
            return junk(payloads, now: now)
        case .treeReopened:
            guard treeMissing else { return [] }
            treeMissing = false
            treeRetryAt = nil
            treeBackoff.reset()
            return isConnected ? [sweepStarted(.repairSweep, now: now)] : []
        case .terminate:
            isStopping = true
            return []
        case .reload:
            readiness.reloaded()
            // Not ready while the set-up waits: its sweep, or its failure, sends READY=1.
            if case .settingUp = connection, !treeMissing { return [.reload] }
            guard isConnected, !treeMissing else { return [.reload] + (readiness.nothingToWaitFor() ? [.notifyReady] : []) }
            return [.reload, sweepStarted(.repairSweep, now: now)]
        case .timer:
            return expired(now: now)
        }
    }

    /// A change that only schedules work (the timer acts on it later): nothing to perform now.
    public mutating func note(_ change: Change, now: UInt64) {
        note(change, now: now, delay: { $0.nextDelay() })
    }

    /// `delay` draws the next retry delay (injectable for tests).
    public mutating func note(_ change: Change, now: UInt64, delay: (inout Backoff) -> UInt64) {
        if isStopping { return }
        switch change {
        case .sweepSent(let policy):
            readiness.sweepSent(policy)
        case .querySent:
            querySentAt = now
            queryReportedSlow = false
        case .settingUp(let timeout):
            connection = .settingUp(until: timeout.map { timeout in
                let (until, overflow) = now.addingReportingOverflow(timeout)
                return overflow ? .max : until
            })
        case .treeChanged(let name):
            if treeMissing { return }
            dirty.insert(name)
            if debounceAt == nil { debounceAt = now + settings.debounceMicroseconds }
        case .notificationsLost:
            if treeMissing { return }
            repairOwed = true
            note(.treeNeedsSweep, now: now, delay: delay)
        case .treeNeedsSweep:
            if treeMissing { return }
            treeSweepOwed = true
            if debounceAt == nil { debounceAt = now + settings.debounceMicroseconds }
        case .repairsFinished(let failed):
            if !failed.isEmpty {
                failedEntries.formUnion(failed)
                if repairRetryAt == nil { repairRetryAt = now + delay(&repairBackoff) }
            } else if failedEntries.isEmpty, repairRetryAt == nil {
                repairBackoff.reset()
            }
        case .treeLost:
            guard !treeMissing else { return }
            treeMissing = true
            // Everything owed is covered by the repair sweep that follows the tree's return.
            dirty = []
            treeSweepOwed = false
            debounceAt = nil
            junkSweepAt = nil
            failedEntries = []
            repairRetryAt = nil
            // The first attempt after a debounce: an `rm -rf` of the tree's parent is left to finish
            // rather than made to fail on a directory made again under it.
            treeRetryAt = now + settings.debounceMicroseconds
        case .treeReopenFailed:
            guard treeMissing else { return }
            treeRetryAt = now + delay(&treeBackoff)
        }
    }
}
