import Logging
import RegistryCore
import RegistrySystem

/// A sweep's per-entry callback, one for all of its pages: the tree's own (the watchdog, the
/// inotify queue held) and, every few seconds of a long sweep, a line saying how far it got
/// (`ProgressPacer`).
final class SweepProgress {
    private let tree: WatchedTree
    private let logger: Logger
    private var pacer = ProgressPacer(start: MonotonicClock.microseconds)
    private var entries = 0
    /// The rows the sweep's pages have read so far.
    var personas = 0

    init(tree: WatchedTree, logger: Logger) {
        self.tree = tree
        self.logger = logger
    }

    func entryHandled() {
        tree.stepProgress()
        entries += 1
        if pacer.due(now: MonotonicClock.microseconds) {
            logger.log(.sweepProgress, "sweeping", ["entries_read": "\(entries)", "personas": "\(personas)"])
        }
    }
}
