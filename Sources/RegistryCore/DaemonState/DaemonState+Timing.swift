/// The state machine's timing rules: when the timer is next due, and what is due when it fires.
extension DaemonState {
    /// When the timerfd should next fire (`nil`: nothing scheduled): the earliest of the
    /// machines' deadlines. While not connected (disconnected, or the set-up not answered),
    /// the debounce and the sweeps are left out: their work waits for the connection's
    /// repairing sweep, and a past deadline kept here would make the timerfd fire
    /// continuously; so they are while the tree is missing (only its re-making is due).
    public var nextDeadline: UInt64? {
        var deadlines = [watchdog.at]
        if !isStopping {
            deadlines += [slowQuery.deadline(limit: settings.slowQueryMicroseconds), tree.deadline, connection.deadline]
        }
        if isConnected, !tree.isMissing { deadlines += [debounce.at, sweeps.at, junk.sweepAt, retries.retryAt] }
        return deadlines.compactMap { $0 }.min()
    }

    /// Asked between entries of a long sweep or batch, which the loop cannot
    /// interrupt: whether `WATCHDOG=1` is due now (half of `WATCHDOG_USEC`
    /// since the last one). When it is, the next one is scheduled from `now`.
    public mutating func watchdogDue(now: UInt64) -> Bool {
        !isStopping && watchdog.due(now: now, interval: settings.watchdogMicroseconds)
    }

    /// The query in flight was answered: how long it waited if it was reported as waiting
    /// long (its answer is then worth a line too), else `nil`.
    public mutating func queryAnswered(now: UInt64) -> UInt64? {
        slowQuery.answered(now: now)
    }

    /// A full sweep begins: it covers every owed re-check and sweep; a repairing one also
    /// every retry (`RepairPolicy.sweepCovers`, the rule the daemon's queue follows too).
    mutating func sweepStarted(_ policy: RepairPolicy, now: UInt64) -> Action {
        let policy = debounce.sweepStarted() ? .repairSweep : policy
        junk.sweepStarted(now: now)
        sweeps.started()
        if policy.sweepCovers(.repairSweep) { retries.clear() }
        return .sweep(policy)
    }

    mutating func expired(now: UInt64) -> [Action] {
        var actions: [Action] = []
        if watchdog.due(now: now, interval: settings.watchdogMicroseconds) { actions.append(.notifyWatchdog) }
        if connection.setUpExpired(now: now) {
            // Its statement is not reported as slow as well: the failure says it did not answer.
            slowQuery.forget()
            actions.append(.abandonSetUp)
        }
        if let waited = slowQuery.expired(now: now, limit: settings.slowQueryMicroseconds) {
            actions.append(.reportSlowQuery(waited: waited))
        }
        if tree.retryDue(now: now) { return actions + [.reopenTree] }
        if connection.retryDue(now: now) { return actions + [.connect] }
        guard isConnected, !tree.isMissing else { return actions }
        if sweeps.takeDue(now: now) { return actions + [sweepStarted(.check, now: now)] }
        if (debounce.isDue(now: now) && debounce.sweepOwed) || junk.sweepDue(now: now) {
            return actions + [sweepStarted(.check, now: now)]
        }
        if let entries = debounce.takeRecheck(now: now) { actions.append(.recheck(entries)) }
        if let entries = retries.due(now: now) { actions.append(.retryRepairs(entries)) }
        return actions
    }
}
