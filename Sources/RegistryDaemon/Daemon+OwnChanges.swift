import Logging
import RegistryTree

/// The daemon's own changes to the tree. Its inotify watches report what it
/// does itself (a directory made for an insert, seed files, an identity
/// file's temp file and rename); those events are told apart from a
/// person's and dropped, so they cause no re-check. During a long step (a
/// sweep of 100,000 personas, a large batch) the queue is read every few
/// hundred entries so it does not overflow; what is read is held until the
/// step ends and says what it did.
extension Daemon {
    /// How many entries a step handles between two reads of the inotify queue
    /// (each may queue a few events; the kernel's default queue holds 16,384).
    static let treeEventReadInterval = 256

    /// Called after each entry of a sweep or batch: the watchdog, and now and
    /// then the inotify queue read and held.
    func stepProgress() {
        watchdogProgress()
        stepEntries += 1
        if stepEntries % Daemon.treeEventReadInterval == 0 { holdTreeChanges() }
    }

    /// Reads the queued events and keeps them for the end of the step.
    func holdTreeChanges() {
        do {
            // Dropped at once, so a sweep creating 100,000 directories holds nothing for them.
            heldTreeChanges += try watcher.changes().filter { !isInNewDirectory($0) }
        } catch {
            logger.warning("cannot read inotify events; a full sweep follows", metadata: ["error": "\(error)"])
            heldTreeChanges.append(.needsSweep("the inotify queue could not be read"))
        }
    }

    /// A directory made in this step appearing, or its seed files being written.
    private func isInNewDirectory(_ change: TreeWatcher.Change) -> Bool {
        switch change {
        case .directoryAppeared(let name):
            stepCreated.contains(name)
        case .fileChanged(let slug, let name):
            stepCreated.contains(slug) && SeedTemplates.seedFileNames.contains(name)
        case .entry, .needsSweep, .rootGone:
            false
        }
    }

    func takeHeldTreeChanges() -> [TreeWatcher.Change] {
        defer {
            heldTreeChanges = []
            stepEntries = 0
            stepCreated = []
        }
        return heldTreeChanges
    }

    /// At the end of a step: every event it caused is queued by now (inotify
    /// queues during the system call); drop the step's own, mark the rest dirty.
    /// `outcome` is what the step did (`nil` when it failed: every event counts).
    func settleTreeChanges(after outcome: SyncOutcome?) throws {
        holdTreeChanges()
        try handle(takeHeldTreeChanges(), ownChanges: outcome)
    }
}
