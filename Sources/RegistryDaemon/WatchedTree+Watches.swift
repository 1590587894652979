import Logging
import RegistryCore
import RegistrySystem

/// The inotify watches on persona directories, and what a failure to add one says.
extension WatchedTree {
    /// Watches these persona directories (those a step made), serving the watchdog between.
    func watch(_ slugs: [String]) {
        for slug in slugs {
            watch(slug)
            onProgress()
        }
    }

    /// Watches an entry about to be re-checked, if it is a directory that can be watched:
    /// a failure here is the re-check's to find, not worth a warning every time.
    func watchQuietly(_ name: String) {
        _ = watcher.watch(name)
    }

    /// Watches persona directory `slug`, found in the root as `name` right now.
    func watch(_ slug: String, at name: String? = nil) {
        switch watcher.watch(slug, at: name ?? slug) {
        case .watched, .notDirectory:
            break
        case .outOfWatches:
            guard !outOfWatchesLogged else { return }
            outOfWatchesLogged = true
            let limit = Inotify.maximumUserWatches
            logger.log(.outOfWatches, """
                out of inotify watches: changes inside some persona directories are not seen until the next sweep; \
                raise the limit with `sysctl fs.inotify.max_user_watches=\(max((limit ?? 8192) * 4, 524_288))`
                """, ["slug": "\(slug)", "max_user_watches": "\(limit.map(String.init) ?? "unknown")"])
        case .failed(let reason):
            logger.log(.directoryUnwatchable, "cannot watch a persona directory", ["slug": "\(slug)", "error": "\(reason)"])
        }
    }
}
