/// The daemon's state machine: pure, values in and values out. The loop
/// (`Daemon`) feeds it events with the current monotonic time and performs
/// the actions it returns; the timerfd is armed at `nextDeadline`. It is a
/// composition of small machines, each with its own deadline; this type says
/// how an event moves them.
public struct DaemonState: Sendable {
    public var settings: Settings
    public internal(set) var connection: ConnectionState
    public internal(set) var readiness = Readiness()
    public internal(set) var debounce = Debounce()
    public internal(set) var junk = JunkLimiter()
    public internal(set) var retries = RepairRetries()
    public internal(set) var slowQuery = SlowQuery()
    public internal(set) var tree = TreePresence()
    public internal(set) var watchdog = Watchdog()
    public internal(set) var sweeps = SweepSchedule()
    public internal(set) var isStopping = false

    public init(settings: Settings, backoff: Backoff = Backoff()) {
        self.settings = settings
        connection = ConnectionState(backoff: backoff)
    }

    public var isConnected: Bool { connection.isConnected }

    public mutating func handle(_ event: Event, now: UInt64) -> [Action] {
        handle(event, now: now, delay: { $0.nextDelay() })
    }

    /// `delay` draws the next reconnect delay (injectable for tests).
    public mutating func handle(_ event: Event, now: UInt64, delay: (inout Backoff) -> UInt64) -> [Action] {
        if isStopping { return [] }
        switch event {
        case .started:
            watchdog.started(now: now, interval: settings.watchdogMicroseconds)
            return [.connect]
        case .connected:
            connection.connected()
            // Anything may have been missed while disconnected: the repair sweep covers the owed
            // work (once the tree is back, if it is missing).
            if tree.isMissing { return [] }
            return [sweepStarted(.repairSweep, now: now)]
        case .disconnected:
            connection.disconnected(now: now, delay: delay)
            slowQuery.forget()
            sweeps.abandoned()
            // A reload's sweep waits for the reconnection; systemd need not.
            return readiness.nothingToWaitFor() ? [.notifyReady] : []
        case .sweepFailed(let policy):
            if policy == .repairSweep { debounce.needsRepair() }
            let actions = handle(.sweepFinished, now: now, delay: delay)
            // Retried with the repairs' backoff (seconds), not at the periodic interval: what
            // it was to bring in step (a removed directory, a rename) is still owed.
            if !tree.isMissing { debounce.needsSweep(at: now + retries.nextDelay(delay)) }
            return actions
        case .sweepFinished:
            sweeps.ended(now: now, interval: settings.sweepIntervalMicroseconds)
            return readiness.sweepEnded() ? [.notifyReady] : []
        case .junkNotifications(let payloads):
            guard let latest = payloads.last else { return [] }
            guard let count = junk.received(payloads.count, owesSweep: !tree.isMissing, now: now,
                                             debounce: settings.debounceMicroseconds,
                                             interval: settings.junkSweepMicroseconds) else { return [] }
            return [.warnJunk(count, latest: latest)]
        case .treeReopened:
            guard tree.reopened() else { return [] }
            return isConnected ? [sweepStarted(.repairSweep, now: now)] : []
        case .terminate:
            isStopping = true
            return []
        case .reload:
            readiness.reloaded()
            // Not ready while the set-up waits: its sweep, or its failure, sends READY=1.
            if case .settingUp = connection.phase, !tree.isMissing { return [.reload] }
            guard isConnected, !tree.isMissing else { return [.reload] + (readiness.nothingToWaitFor() ? [.notifyReady] : []) }
            return [.reload, sweepStarted(.repairSweep, now: now)]
        case .timer:
            return expired(now: now)
        }
    }

    /// A page of the sweep in progress was brought in step: the next page, or the pass over
    /// the root's listing that ends the sweep (`nil`: no sweep in progress).
    public mutating func sweepPageRead(_ page: PagedSweep.Page) -> PagedSweep.Next? {
        sweeps.read(page)
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
            sweeps.began(policy)
        case .querySent:
            slowQuery.sent(now: now)
        case .settingUp(let timeout):
            connection.settingUp(now: now, timeout: timeout)
        case .treeChanged(let name):
            if tree.isMissing { return }
            debounce.changed(name, now: now, debounce: settings.debounceMicroseconds)
        case .treeNeedsSweep:
            if tree.isMissing { return }
            debounce.needsSweep(now: now, debounce: settings.debounceMicroseconds)
        case .stepFailed(let step):
            failed(step, now: now, delay: delay)
        case .repairsFinished(let failed):
            retries.finished(failed: failed, now: now, delay: delay)
        case .treeLost:
            guard tree.lost(now: now, debounce: settings.debounceMicroseconds) else { return }
            // Everything owed is covered by the repair sweep that follows the tree's return.
            debounce.clear()
            junk.forgetSweep()
            retries.clear()
        case .treeReopenFailed:
            tree.reopenFailed(now: now, delay: delay)
        }
    }

    /// What a failed step (other than a sweep, an event of its own) leaves owed.
    private mutating func failed(_ step: FailedStep, now: UInt64, delay: (inout Backoff) -> UInt64) {
        switch step {
        case .retry(let entries):
            // Still owed: retried with backoff, as a repair that failed.
            note(.repairsFinished(failed: entries), now: now, delay: delay)
        case .recheck, .flush:
            // What changed there is still to be brought in step: a sweep follows (at most one
            // per failure, so a query that keeps failing is not asked again and again).
            note(.treeNeedsSweep, now: now, delay: delay)
        case .notifications:
            // What they carried (a rename, an update) only a repairing sweep writes.
            if tree.isMissing { return }
            debounce.needsRepair()
            note(.treeNeedsSweep, now: now, delay: delay)
        }
    }
}
