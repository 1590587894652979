import Logging

/// The inotify queue read during and at the end of a step; `OwnChanges` decides
/// which of its events were the daemon's own.
extension Daemon {
    /// Called after each entry of a sweep or batch: the watchdog, and now and
    /// then the inotify queue read and held.
    func stepProgress() {
        watchdogProgress()
        if ownChanges.entryHandled() { holdTreeChanges() }
    }

    /// Reads the queued events and keeps them for the end of the step.
    func holdTreeChanges() {
        do {
            ownChanges.hold(try watcher.changes())
        } catch {
            logger.warning("cannot read inotify events; a full sweep follows", metadata: ["error": "\(error)"])
            ownChanges.hold([.needsSweep("the inotify queue could not be read")])
        }
    }

    /// At the end of a step: every event it caused is queued by now (inotify
    /// queues during the system call); drop the step's own, mark the rest dirty.
    /// `outcome` is what the step did (`nil` when it failed: every event counts).
    func settleTreeChanges(after outcome: SyncOutcome?) throws {
        holdTreeChanges()
        try handle(ownChanges.endStep(after: outcome))
    }
}
