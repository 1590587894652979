/// The daemon's state machine: pure, values in and values out. The loop
/// (`Daemon`) feeds it events with the current monotonic time and performs
/// the actions it returns; the timerfd is armed at `nextDeadline`.
public struct DaemonState: Sendable {
    public enum Connection: Sendable, Equatable {
        /// No connection yet, or a lost one; `retryAt` is the next attempt.
        case disconnected(retryAt: UInt64)
        case connected
    }

    public enum Event: Sendable, Equatable {
        case started
        case connected
        /// A connection attempt failed or an established connection was lost.
        case disconnected
        case sweepFinished
        /// Something changed in the tree at this root entry (a slug or another name).
        case treeChanged(String)
        /// The tree can no longer be followed entry by entry (overflow, root moved, unknown watch).
        case treeNeedsSweep
        case terminate
        case reload
        case timer
    }

    public enum Action: Sendable, Equatable {
        /// Connect, refuse a standby, LISTEN.
        case connect
        case sweep(RepairPolicy)
        /// Re-check these root entries against the database.
        case recheck(Set<String>)
        /// `RELOADING=1` + `MONOTONIC_USEC`, re-read configuration, then `READY=1`.
        case reload
        case notifyReady
        case notifyWatchdog
        case stop
    }

    public struct Settings: Sendable, Equatable {
        public var sweepIntervalMicroseconds: UInt64
        public var debounceMicroseconds: UInt64
        /// Half of WATCHDOG_USEC, when systemd asked for a watchdog.
        public var watchdogMicroseconds: UInt64?
        public init(sweepIntervalMicroseconds: UInt64, debounceMicroseconds: UInt64, watchdogMicroseconds: UInt64?) {
            self.sweepIntervalMicroseconds = sweepIntervalMicroseconds
            self.debounceMicroseconds = debounceMicroseconds
            self.watchdogMicroseconds = watchdogMicroseconds
        }
    }

    public var settings: Settings
    public private(set) var connection: Connection = .disconnected(retryAt: 0)
    public private(set) var backoff: ReconnectBackoff
    /// `READY=1` has been sent: after the first sweep, or at once when the first
    /// connection attempt fails (the database is awaited with `STATUS=` saying so,
    /// rather than holding the service in "activating" for as long as it is down).
    public private(set) var isReady = false
    /// A sweep has finished (the tree has been compared with the tables once).
    public private(set) var hasSwept = false
    public private(set) var isStopping = false
    /// Root entries waiting for their debounced re-check.
    public private(set) var dirty: Set<String> = []
    /// A full sweep is owed to the tree (overflow, root moved, unknown watch).
    public private(set) var treeSweepOwed = false
    public private(set) var debounceAt: UInt64?
    public private(set) var periodicSweepAt: UInt64?
    public private(set) var watchdogAt: UInt64?

    public init(settings: Settings, backoff: ReconnectBackoff = ReconnectBackoff()) {
        self.settings = settings
        self.backoff = backoff
    }

    /// When the timerfd should next fire (`nil`: nothing scheduled).
    /// While disconnected, the debounce and periodic sweep deadlines are left
    /// out: their work waits for the reconnect's repairing sweep, and a past
    /// deadline kept here would make the timerfd fire continuously.
    public var nextDeadline: UInt64? {
        var deadlines = [watchdogAt].compactMap { $0 }
        switch connection {
        case .connected:
            deadlines += [debounceAt, periodicSweepAt].compactMap { $0 }
        case .disconnected(let retryAt):
            if !isStopping { deadlines.append(retryAt) }
        }
        return deadlines.min()
    }

    public var isConnected: Bool { connection == .connected }

    /// Asked between entries of a long sweep or batch, which the loop cannot
    /// interrupt: whether `WATCHDOG=1` is due now (half of `WATCHDOG_USEC`
    /// since the last one). When it is, the next one is scheduled from `now`.
    public mutating func watchdogDue(now: UInt64) -> Bool {
        guard !isStopping, let at = watchdogAt, at <= now, let interval = settings.watchdogMicroseconds else { return false }
        watchdogAt = now + interval
        return true
    }

    public mutating func handle(_ event: Event, now: UInt64) -> [Action] {
        handle(event, now: now, delay: { $0.nextDelay() })
    }

    /// `delay` draws the next reconnect delay (injectable for tests).
    public mutating func handle(_ event: Event, now: UInt64, delay: (inout ReconnectBackoff) -> UInt64) -> [Action] {
        if isStopping { return [] }
        switch event {
        case .started:
            if let interval = settings.watchdogMicroseconds { watchdogAt = now + interval }
            return [.connect]
        case .connected:
            connection = .connected
            backoff.reset()
            // Anything may have been missed while disconnected: the repair sweep covers the owed work.
            dirty = []
            treeSweepOwed = false
            debounceAt = nil
            return [.sweep(.repairSweep)]
        case .disconnected:
            connection = .disconnected(retryAt: now + delay(&backoff))
            if !isReady {
                isReady = true
                return [.notifyReady]
            }
            return []
        case .sweepFinished:
            hasSwept = true
            periodicSweepAt = now + settings.sweepIntervalMicroseconds
            if !isReady {
                isReady = true
                return [.notifyReady]
            }
            return []
        case .treeChanged(let name):
            dirty.insert(name)
            if debounceAt == nil { debounceAt = now + settings.debounceMicroseconds }
            return []
        case .treeNeedsSweep:
            treeSweepOwed = true
            if debounceAt == nil { debounceAt = now + settings.debounceMicroseconds }
            return []
        case .terminate:
            isStopping = true
            return [.stop]
        case .reload:
            return [.reload] + (isConnected ? [.sweep(.repairSweep)] : [])
        case .timer:
            return expired(now: now)
        }
    }

    private mutating func expired(now: UInt64) -> [Action] {
        var actions: [Action] = []
        if let at = watchdogAt, at <= now, let interval = settings.watchdogMicroseconds {
            watchdogAt = now + interval
            actions.append(.notifyWatchdog)
        }
        if case .disconnected(let retryAt) = connection, retryAt <= now {
            // Not retried again until this attempt reports back.
            connection = .disconnected(retryAt: UInt64.max)
            actions.append(.connect)
            return actions
        }
        guard isConnected else { return actions }
        if let at = periodicSweepAt, at <= now {
            periodicSweepAt = nil
            dirty = []
            treeSweepOwed = false
            debounceAt = nil
            actions.append(.sweep(.check))
            return actions
        }
        if let at = debounceAt, at <= now {
            debounceAt = nil
            if treeSweepOwed {
                treeSweepOwed = false
                dirty = []
                actions.append(.sweep(.check))
            } else if !dirty.isEmpty {
                actions.append(.recheck(dirty))
                dirty = []
            }
        }
        return actions
    }
}
