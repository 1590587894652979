import Glibc
import Logging
import RegistryCore
import RegistrySystem
import RegistryTree

/// inotify: events into dirty entries, watches on persona directories, the root moved or removed.
extension Daemon {
    func handleTreeEvents() throws {
        let fresh = try watcher.changes()
        try handle(ownChanges.endStep(fresh, after: nil))
    }

    /// Marks the entries a person changed dirty (the daemon's own changes are already
    /// left out: `OwnChanges`).
    func handle(_ changes: [TreeWatcher.Change]) throws {
        let now = MonotonicClock.microseconds
        var rootHandled = false
        for change in changes {
            switch change {
            case .directoryAppeared(let name):
                changed(name, now: now)
            case .fileChanged(let slug, _):
                changed(slug, now: now)
            case .entry(let name):
                changed(name, now: now)
            case .needsSweep(let why):
                logger.warning("\(why): a full sweep follows")
                state.note(.treeNeedsSweep, now: now)
            case .rootGone:
                guard !rootHandled else { continue }
                rootHandled = true
                noticeTreeLost(now: now)
            }
        }
    }

    private func changed(_ name: String, now: UInt64) {
        if Slug.isValid(name) { watchOne(name) }
        state.note(.treeChanged(name), now: now)
    }

    /// The root moved or vanished, unless the configured path still names the open root (a
    /// stale event: the parent's IN_DELETE of an earlier directory of the tree's name). The
    /// tree is made again after the debounce (`reopenTree`).
    /// Returns whether the tree is missing.
    @discardableResult
    func noticeTreeLost(now: UInt64) -> Bool {
        if state.treeMissing { return true }
        if treeIsLive { return false }
        logger.error("the tree root was moved or removed: making it again, then a repairing sweep", metadata: ["tree": "\(tree.path)"])
        state.note(.treeLost, now: now)
        updateStatus()
        return true
    }

    /// Whether the configured tree path names the open root (same device and inode).
    var treeIsLive: Bool {
        var open = stat()
        var named = stat()
        guard fstat(tree.rootDescriptor, &open) == 0, stat(configuration.treePath, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }

    /// The root moved or vanished: make the tree directory again (only it: a missing parent
    /// means the whole place is gone, and that is for a person to decide), open and lock it,
    /// so the daemon keeps serving the path it was given and holds its lock there; then a
    /// repairing sweep recreates every persona's directory. A failure is logged as critical
    /// and retried with backoff. Another daemon holding the new root's lock ends this one.
    func reopenTree() throws {
        let now = MonotonicClock.microseconds
        let reopened: TreeSync
        do {
            let path = configuration.treePath
            if case .failure(let error) = systemCall("mkdir", path, { mkdir(path, 0o755) }), error.errno != EEXIST { throw error }
            reopened = try openTree(configuration)
        } catch let error as SystemError where error.errno == EROFS {
            // Never writable from here (the shipped unit's ProtectSystem=strict leaves only the
            // tree writable): exit, and the service manager makes it again (StateDirectory=).
            throw StartupError(description: "the tree \(configuration.treePath) was removed and cannot be made again here (\(error)); "
                + "exiting so that the service manager makes it and restarts the daemon")
        } catch {
            state.note(.treeReopenFailed, now: now)
            let retry = state.treeRetryAt.map { $0 > now ? ($0 - now) / 1_000 : 0 } ?? 0
            logger.critical("cannot make the tree again; nothing is kept in step until it exists", metadata: [
                "tree": "\(configuration.treePath)", "error": "\(error)", "retry_in_ms": "\(retry)"])
            updateStatus()
            return
        }
        // The same tree moved back holds the lock already (taking it again would fail on it).
        if !lock.isHeld(inTree: reopened.rootDescriptor) {
            lock = try TreeLock(rootDescriptor: reopened.rootDescriptor, treePath: reopened.path)
        }
        tree = reopened
        rewatchRoot()
        watchNewDirectories()
        logger.notice("the tree was made again and is locked", metadata: ["tree": "\(tree.path)", "lock": "\(lock.path)"])
        try perform(state.handle(.treeReopened, now: now))
        updateStatus()
    }

    /// A new inotify instance watching the (re)opened root and its parent.
    func rewatchRoot() {
        do {
            watcher = try TreeWatcher(rootDescriptor: tree.rootDescriptor)
            try watcher.watchRoot(rootDescriptor: tree.rootDescriptor)
        } catch {
            logger.error("cannot watch the tree root", metadata: ["tree": "\(tree.path)", "error": "\(error)"])
        }
        watchParent()
    }

    /// Watches the tree's parent for the tree's removal; without it, the removal is
    /// noticed by the next sweep, which first checks that the path names the open root.
    func watchParent() {
        do {
            try watcher.watchParent(ofTree: configuration.treePath)
        } catch {
            logger.warning("cannot watch the tree's parent: the tree's removal is noticed at the next sweep",
                           metadata: ["tree": "\(configuration.treePath)", "error": "\(error)"])
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
            ownChanges.directoryCreated(slug)
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
