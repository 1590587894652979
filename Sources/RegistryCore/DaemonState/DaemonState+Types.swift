/// What goes into and comes out of `DaemonState`, and its settings.
extension DaemonState {
    public enum Connection: Sendable, Equatable {
        /// No connection yet, or a lost one; `retryAt` is the next attempt.
        case disconnected(retryAt: UInt64)
        /// Connected, the set-up (the standby check, `LISTEN`) not answered yet: given up on
        /// at `until` (`nil`: never, where `connect_timeout` sets no limit). Nothing is swept,
        /// re-checked or ready meanwhile: notifications are not heard until `LISTEN` is answered.
        case settingUp(until: UInt64?)
        case connected
    }

    public enum Event: Sendable, Equatable {
        case started
        /// The set-up was answered: listening.
        case connected
        /// A connection attempt failed or an established connection was lost.
        case disconnected
        case sweepFinished
        /// A sweep's query or pass failed: as `sweepFinished`, and a repairing one is still owed.
        case sweepFailed(RepairPolicy)
        /// These payloads on the channel were not ours or not understood (junk, forged,
        /// another version's): only a sweep can tell what they meant, and no more than
        /// one per `junkSweepMicroseconds` is owed to them.
        case junkNotifications([String])
        /// The tree is open and locked again.
        case treeReopened
        case terminate
        case reload
        case timer
    }

    /// Events that only schedule work for a later deadline (`note`): nothing is performed
    /// at once, so no action can be dropped.
    public enum Change: Sendable, Equatable {
        /// A sweep's first page went out under this policy (a queued one may have been merged
        /// with another first): its rows are read after this moment, which a reload waits for.
        case sweepSent(RepairPolicy)
        /// A query was sent: reported once if it waits longer than `slowQueryMicroseconds`.
        case querySent
        /// Connected: the set-up is sent, to be answered within `timeoutMicroseconds` (`nil`: no limit).
        case settingUp(timeoutMicroseconds: UInt64?)
        /// Something changed in the tree at this root entry (a slug or another name).
        case treeChanged(String)
        /// The tree can no longer be followed entry by entry (overflow, root moved, unknown watch).
        case treeNeedsSweep
        /// A step other than a sweep failed (a sweep's failure is an `Event`: it ends the sweep).
        case stepFailed(FailedStep)
        /// A step (sweep, re-check, notifications, retry) ended; these entries failed
        /// (a full disk, a permission): they are retried with backoff.
        case repairsFinished(failed: Set<String>)
        /// The configured tree path no longer names the open root (removed, moved away).
        case treeLost
        /// Making or opening the tree again failed: retried with backoff.
        case treeReopenFailed
    }

    /// A step that failed (its query, or its pass over the tree), other than a connection lost:
    /// what it leaves owed is `DaemonState`'s to decide.
    public enum FailedStep: Sendable, Equatable {
        /// A re-check of root entries: what changed there is still to be brought in step.
        case recheck
        /// A retry of these entries' failed repairs: still owed.
        case retry(Set<String>)
        /// Notifications were consumed but not applied: a role rename or a persona update they
        /// carried is seen by no check, so a repairing sweep is owed.
        case notifications
        /// The flush of what notifications wrote.
        case flush
    }

    public enum Action: Sendable, Equatable {
        /// Connect, then send the set-up (refuse a standby, LISTEN) and await it (`.settingUp`).
        case connect
        /// The set-up was not answered in time: the attempt fails (dropped, retried with backoff).
        case abandonSetUp
        case sweep(RepairPolicy)
        /// Re-check these root entries against the database.
        case recheck(Set<String>)
        /// `RELOADING=1` + `MONOTONIC_USEC`, re-read configuration, then `READY=1`.
        case reload
        case notifyReady
        case notifyWatchdog
        /// Warn about junk notifications: this many since the last warning, and the latest.
        case warnJunk(Int, latest: String)
        /// Re-check these entries, whose repair failed, allowing the repairs of a repair sweep.
        case retryRepairs(Set<String>)
        /// Make the tree directory again (not its parents), open and lock it.
        case reopenTree
        /// The query in flight has waited this long (a lock held elsewhere?): say so, once.
        case reportSlowQuery(waited: UInt64)
    }

    public struct Settings: Sendable, Equatable {
        public var sweepIntervalMicroseconds: UInt64
        public var debounceMicroseconds: UInt64
        /// Half of WATCHDOG_USEC, when systemd asked for a watchdog.
        public var watchdogMicroseconds: UInt64?
        /// The least time between two sweeps owed to junk notifications, and between two warnings about them.
        public var junkSweepMicroseconds: UInt64
        /// How long a query may wait before it is reported as waiting long.
        public var slowQueryMicroseconds: UInt64
        public init(sweepIntervalMicroseconds: UInt64, debounceMicroseconds: UInt64, watchdogMicroseconds: UInt64?,
                    junkSweepMicroseconds: UInt64 = 60_000_000, slowQueryMicroseconds: UInt64 = 5_000_000) {
            self.sweepIntervalMicroseconds = sweepIntervalMicroseconds
            self.debounceMicroseconds = debounceMicroseconds
            self.watchdogMicroseconds = watchdogMicroseconds
            self.junkSweepMicroseconds = junkSweepMicroseconds
            self.slowQueryMicroseconds = slowQueryMicroseconds
        }
    }
}
