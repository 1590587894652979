import Logging
import RegistryCore
import RegistrySystem

/// A sweep's per-entry callback: the tree's own (the watchdog, the inotify queue held) and,
/// every few seconds of a long sweep, a line saying how far it got (`ProgressPacer`).
enum SweepProgress {
    static func callback(tree: WatchedTree, logger: Logger, personas: Int) -> () -> Void {
        var pacer = ProgressPacer(start: MonotonicClock.microseconds)
        var entries = 0
        return {
            tree.stepProgress()
            entries += 1
            if pacer.due(now: MonotonicClock.microseconds) {
                logger.log(.sweepProgress, "sweeping", ["entries_read": "\(entries)", "personas": "\(personas)"])
            }
        }
    }
}
