import Logging

/// inotify: events into dirty entries, watches on persona directories, the root moved or removed.
extension Daemon {
    func handleTreeEvents() throws {
        let now = MonotonicClock.microseconds
        var rootHandled = false
        for change in try watcher.changes() {
            switch change {
            case .entry(let name):
                if Slug.isValid(name) { watchOne(name) }
                _ = state.handle(.treeChanged(name), now: now)
            case .needsSweep(let why):
                logger.warning("\(why): a full sweep follows")
                _ = state.handle(.treeNeedsSweep, now: now)
            case .rootGone:
                guard !rootHandled else { continue }
                rootHandled = true
                logger.error("the tree root was moved or removed: a full sweep follows", metadata: ["tree": "\(tree.path)"])
                try reopenTree()
                _ = state.handle(.treeNeedsSweep, now: now)
            }
        }
    }

    /// The root moved or vanished: open the configured path again (created
    /// if missing) and lock it, so the daemon keeps serving the tree it was
    /// given. Another daemon holding the new root's lock ends this one.
    func reopenTree() throws {
        let reopened: TreeSync
        do {
            reopened = try openTree(configuration)
        } catch {
            logger.error("cannot reopen the tree; serving the old root until the next sweep",
                         metadata: ["tree": "\(configuration.treePath)", "error": "\(error)"])
            return
        }
        lock = try TreeLock(rootDescriptor: reopened.rootDescriptor, treePath: reopened.path)
        tree = reopened
        rewatchRoot()
    }

    /// Applies batches of notifications until libpq holds no more.
    func rewatchRoot() {
        do {
            watcher = try TreeWatcher(rootDescriptor: tree.rootDescriptor)
            try watcher.watchRoot(rootDescriptor: tree.rootDescriptor)
        } catch {
            logger.error("cannot watch the tree root", metadata: ["tree": "\(tree.path)", "error": "\(error)"])
        }
    }

    func watchDirectories(_ names: [String]) {
        for name in names { watchOne(name) }
    }

    func watchOne(_ slug: String) {
        switch watcher.watch(slug) {
        case .watched, .notDirectory:
            break
        case .outOfWatches:
            if !outOfWatchesLogged {
                outOfWatchesLogged = true
                let limit = Inotify.maximumUserWatches
                logger.critical("""
                    out of inotify watches: changes inside some persona directories are not seen until the next sweep; \
                    raise the limit with `sysctl fs.inotify.max_user_watches=\(max((limit ?? 8192) * 4, 524_288))`
                    """, metadata: ["slug": "\(slug)", "max_user_watches": "\(limit.map(String.init) ?? "unknown")"])
            }
        case .failed(let reason):
            logger.warning("cannot watch a persona directory", metadata: ["slug": "\(slug)", "error": "\(reason)"])
        }
    }
}
