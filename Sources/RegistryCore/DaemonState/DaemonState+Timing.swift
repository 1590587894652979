/// The state machine's timing rules: what is due when a deadline passes, and
/// the bookkeeping of readiness, junk and sweeps that `handle` and `note` share.
extension DaemonState {
    /// When the timerfd should next fire (`nil`: nothing scheduled).
    /// While not connected (disconnected, or the set-up not answered), the
    /// debounce and periodic sweep deadlines are left out: their work waits for
    /// the connection's repairing sweep, and a past deadline kept here would make
    /// the timerfd fire continuously.
    public var nextDeadline: UInt64? {
        var deadlines = [watchdogAt].compactMap { $0 }
        if let sent = querySentAt, !queryReportedSlow, !isStopping { deadlines.append(sent + settings.slowQueryMicroseconds) }
        // While the tree is missing, only its re-making is due (sweeps wait for it, as below).
        if treeMissing, let at = treeRetryAt, !isStopping { deadlines.append(at) }
        switch connection {
        case .connected:
            if !treeMissing { deadlines += [debounceAt, periodicSweepAt, junkSweepAt, repairRetryAt].compactMap { $0 } }
        case .settingUp(let until):
            if let until, !isStopping { deadlines.append(until) }
        case .disconnected(let retryAt):
            if !isStopping { deadlines.append(retryAt) }
        }
        return deadlines.min()
    }

    /// Asked between entries of a long sweep or batch, which the loop cannot
    /// interrupt: whether `WATCHDOG=1` is due now (half of `WATCHDOG_USEC`
    /// since the last one). When it is, the next one is scheduled from `now`.
    public mutating func watchdogDue(now: UInt64) -> Bool {
        guard !isStopping, let at = watchdogAt, at <= now, let interval = settings.watchdogMicroseconds else { return false }
        watchdogAt = now + interval
        return true
    }

    /// Junk notifications: one sweep owed, no sooner than `junkSweepMicroseconds` after the
    /// last sweep began (any sweep covers them), and a warning at most once per interval.
    mutating func junk(_ payloads: [String], now: UInt64) -> [Action] {
        guard let latest = payloads.last else { return [] }
        if junkSweepAt == nil, !treeMissing {
            let earliest = lastSweepAt.map { $0 + settings.junkSweepMicroseconds } ?? 0
            junkSweepAt = max(now + settings.debounceMicroseconds, earliest)
        }
        junkUnwarned += payloads.count
        if let at = junkWarnedAt, now < at + settings.junkSweepMicroseconds { return [] }
        junkWarnedAt = now
        defer { junkUnwarned = 0 }
        return [.warnJunk(junkUnwarned, latest: latest)]
    }

    /// The query in flight was answered: how long it waited if it was reported as waiting
    /// long (its answer is then worth a line too), else `nil`.
    public mutating func queryAnswered(now: UInt64) -> UInt64? {
        defer {
            querySentAt = nil
            queryReportedSlow = false
        }
        guard let sent = querySentAt, queryReportedSlow else { return nil }
        return now - sent
    }

    /// A full sweep begins: it covers every owed re-check and sweep; a repairing one also
    /// every retry (a check only reports the stale identity files a failed repair left).
    mutating func sweepStarted(_ policy: RepairPolicy, now: UInt64) -> Action {
        let policy = repairOwed ? .repairSweep : policy
        lastSweepAt = now
        dirty = []
        treeSweepOwed = false
        debounceAt = nil
        junkSweepAt = nil
        repairOwed = false
        if policy == .repairSweep {
            failedEntries = []
            repairRetryAt = nil
        }
        return .sweep(policy)
    }

    mutating func expired(now: UInt64) -> [Action] {
        var actions: [Action] = []
        if let at = watchdogAt, at <= now, let interval = settings.watchdogMicroseconds {
            watchdogAt = now + interval
            actions.append(.notifyWatchdog)
        }
        if case .settingUp(let until?) = connection, until <= now {
            // Not again: the attempt reports back at once (`.disconnected`). Its statement is
            // not reported as slow as well: the failure says it did not answer.
            connection = .settingUp(until: nil)
            querySentAt = nil
            actions.append(.abandonSetUp)
        }
        if let sent = querySentAt, !queryReportedSlow, sent + settings.slowQueryMicroseconds <= now {
            queryReportedSlow = true
            actions.append(.reportSlowQuery(waited: now - sent))
        }
        if treeMissing, let at = treeRetryAt, at <= now {
            // Not retried again until this attempt reports back.
            treeRetryAt = UInt64.max
            actions.append(.reopenTree)
            return actions
        }
        if case .disconnected(let retryAt) = connection, retryAt <= now {
            // Not retried again until this attempt reports back.
            connection = .disconnected(retryAt: UInt64.max)
            actions.append(.connect)
            return actions
        }
        guard isConnected, !treeMissing else { return actions }
        let debounced = debounceAt.map { $0 <= now } ?? false
        if periodicSweepAt.map({ $0 <= now }) == true {
            periodicSweepAt = nil
            actions.append(sweepStarted(.check, now: now))
            return actions
        }
        if (debounced && treeSweepOwed) || junkSweepAt.map({ $0 <= now }) == true {
            actions.append(sweepStarted(.check, now: now))
            return actions
        }
        if debounced {
            debounceAt = nil
            if !dirty.isEmpty {
                actions.append(.recheck(dirty))
                dirty = []
            }
        }
        if let at = repairRetryAt, at <= now {
            repairRetryAt = nil
            actions.append(.retryRepairs(failedEntries))
            failedEntries = []
        }
        return actions
    }
}
