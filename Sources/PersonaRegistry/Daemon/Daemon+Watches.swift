import Logging

/// inotify: events into dirty entries, watches on persona directories, the root moved or removed.
extension Daemon {
    func handleTreeEvents() throws {
        try handle(takeHeldTreeChanges() + watcher.changes(), ownChanges: nil)
    }

    /// Marks the changed entries dirty. `ownChanges` is what the step that
    /// just ended did itself (directories created, files written or removed):
    /// the events it caused are dropped, each created directory's once.
    func handle(_ changes: [TreeWatcher.Change], ownChanges: SyncOutcome?) throws {
        let now = MonotonicClock.microseconds
        var created = Set(ownChanges?.created.map(\.slug) ?? [])
        let touched = ownChanges?.touchedFiles ?? [:]
        var rootHandled = false
        for change in changes {
            switch change {
            case .directoryAppeared(let name):
                if created.remove(name) != nil { continue }
                changed(name, now: now)
            case .fileChanged(let slug, let name):
                if touched[slug]?.contains(name) == true { continue }
                changed(slug, now: now)
            case .entry(let name):
                changed(name, now: now)
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

    private func changed(_ name: String, now: UInt64) {
        if Slug.isValid(name) { watchOne(name) }
        _ = state.handle(.treeChanged(name), now: now)
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
        watchNewDirectories()
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
        for name in names {
            watchOne(name)
            watchdogProgress()
        }
    }

    /// A directory the daemon makes is watched at once, before it appears
    /// under its slug (the watch follows the rename), so a person's change
    /// right after is never missed.
    func watchNewDirectories() {
        tree.directoryCreated = { [unowned self] slug, currentName in
            stepCreated.insert(slug)
            watchOne(slug, at: currentName)
        }
        // A sweep watches every directory it lists, with a row or not, just before reading it.
        tree.directoryListed = { [unowned self] slug in watchOne(slug) }
    }

    /// Watches persona directory `slug`, found in the root as `name` right now.
    func watchOne(_ slug: String, at name: String? = nil) {
        switch watcher.watch(slug, at: name ?? slug) {
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
