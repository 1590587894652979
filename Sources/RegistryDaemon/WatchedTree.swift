import Glibc
import Logging
import RegistryCore
import RegistrySystem
import RegistryTree

/// The tree as the daemon serves it: the open, locked root, its inotify watches
/// and the filter of the daemon's own changes (`OwnChanges`). What a person
/// changed comes out as `DaemonState.Change`s; deciding what to do about them
/// is `DaemonState`'s.
final class WatchedTree {
    private(set) var synchronizer: TreeSynchronizer
    private var lock: TreeLock
    private var watcher: TreeWatcher
    private var ownChanges = OwnChanges()
    private var outOfWatchesLogged = false
    /// The configured path: what the tree must be found at (`isLive`) and made again at.
    let treePath: String
    let logger: Logger
    /// Called after each entry of a step: the daemon's watchdog.
    var onProgress: () -> Void = {}

    /// Opens and locks the tree and sets up the inotify instance (nothing watched yet: `start`).
    init(configuration: DaemonConfiguration, logger: Logger) throws {
        treePath = configuration.treePath
        self.logger = logger
        synchronizer = try TreeSynchronizer(configuration: configuration)
        lock = try TreeLock(rootDescriptor: synchronizer.rootDescriptor, treePath: synchronizer.path)
        watcher = try TreeWatcher(rootDescriptor: synchronizer.rootDescriptor)
    }

    var inotifyDescriptor: Int32 { watcher.rawValue }
    var watchCount: Int { watcher.count }
    var lockPath: String { lock.path }

    /// Watches the root and its parent; a directory the tree makes is watched as it is made.
    func start() throws {
        try watcher.watchRoot(rootDescriptor: synchronizer.rootDescriptor)
        watchParent()
        hookDirectories()
    }

    /// What a person changed since the last read (the daemon's own changes are left out).
    func changes() throws -> [DaemonState.Change] {
        notes(ownChanges.endStep(try watcher.changes(), after: nil))
    }

    /// Called after each entry of a sweep or batch: the watchdog, and now and then the
    /// inotify queue read and held, so a long step cannot overflow it.
    func stepProgress() {
        onProgress()
        if ownChanges.entryHandled() { holdChanges() }
    }

    /// At the end of a step: every event it caused is queued by now (inotify queues during
    /// the system call); drop the step's own, return the rest. `outcome` is what the step
    /// did (`nil` when it failed: every event counts).
    func settle(after outcome: SyncOutcome?) -> [DaemonState.Change] {
        holdChanges()
        return notes(ownChanges.endStep(after: outcome))
    }

    private func holdChanges() {
        do {
            ownChanges.hold(try watcher.changes())
        } catch {
            logger.log(.inotifyUnreadable, "cannot read inotify events; a full sweep follows", ["error": "\(error)"])
            ownChanges.hold([.needsSweep("the inotify queue could not be read")])
        }
    }

    /// A person's changes as what the state machine is told; a persona directory that
    /// changed is watched (again) on the way.
    private func notes(_ changes: [TreeWatcher.Change]) -> [DaemonState.Change] {
        changes.map { change in
            switch change {
            case .directoryAppeared(let name), .entry(let name), .fileChanged(let name, _), .fileRenamed(let name, _, _, _):
                if Slug.isTreeName(name) { watch(name) }
                return .treeChanged(name)
            case .needsSweep(let why):
                logger.log(.sweepNeeded, "\(why): a full sweep follows")
                return .treeNeedsSweep
            case .rootGone:
                return .treeLost
            }
        }
    }

    /// Whether the configured path names the open root (same device and inode): false once
    /// the root was moved or removed, true for a stale event (the parent's IN_DELETE of an
    /// earlier directory of the tree's name).
    var isLive: Bool {
        var open = stat()
        var named = stat()
        guard fstat(synchronizer.rootDescriptor, &open) == 0, stat(treePath, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }

    /// The root moved or vanished: makes the tree directory again (only it: a missing parent
    /// means the whole place is gone, and that is for a person to decide), opens and locks
    /// it, and watches it, so the daemon keeps serving the path it was given and holds its
    /// lock there. Where the file system is read-only from here (the shipped unit's
    /// `ProtectSystem=strict` leaves only the tree writable) this ends the daemon, and the
    /// service manager makes the tree (`StateDirectory=`) and restarts it.
    func reopen(_ configuration: DaemonConfiguration) throws {
        let reopened: TreeSynchronizer
        do {
            let path = treePath
            if case .failure(let error) = systemCall("mkdir", path, { mkdir(path, 0o755) }), error.errno != EEXIST { throw error }
            reopened = try TreeSynchronizer(configuration: configuration)
        } catch let error as SystemError where error.errno == EROFS {
            throw Daemon.StartupError(description: "the tree \(treePath) was removed and cannot be made again here (\(error)); "
                + "exiting so that the service manager makes it and restarts the daemon")
        }
        // The same tree moved back holds the lock already (taking it again would fail on it).
        // Another daemon holding the new root's lock ends this one, as does any failure to take
        // the lock (a FIFO or hard link where the lock file goes, a permission): as at start-up.
        if !lock.isHeld(inTree: reopened.rootDescriptor) {
            do {
                lock = try TreeLock(rootDescriptor: reopened.rootDescriptor, treePath: reopened.path)
            } catch {
                throw Daemon.StartupError(description: "\(error)")
            }
        }
        synchronizer = reopened
        do {
            watcher = try TreeWatcher(rootDescriptor: synchronizer.rootDescriptor)
            try watcher.watchRoot(rootDescriptor: synchronizer.rootDescriptor)
        } catch {
            logger.log(.rootUnwatchable, "cannot watch the tree root", ["tree": "\(synchronizer.path)", "error": "\(error)"])
        }
        watchParent()
        hookDirectories()
        logger.log(.treeRemade, "the tree was made again and is locked", ["tree": "\(synchronizer.path)", "lock": "\(lock.path)"])
    }

    /// Without a watch on the tree's parent, the tree's removal is noticed by the next sweep,
    /// which first checks that the path names the open root.
    private func watchParent() {
        do {
            try watcher.watchParent(ofTree: treePath)
        } catch {
            logger.log(.parentUnwatchable, "cannot watch the tree's parent: the tree's removal is noticed at the next sweep",
                       ["tree": "\(treePath)", "error": "\(error)"])
        }
    }

    /// A directory the tree makes is watched at once, before it appears under its slug (the
    /// watch follows the rename), so a person's change right after is never missed. A sweep
    /// watches every directory it lists, with a row or not, just before reading it.
    private func hookDirectories() {
        synchronizer.directoryCreated = { [unowned self] slug, currentName in
            ownChanges.directoryCreated(slug)
            watch(slug, at: currentName)
        }
        synchronizer.directoryListed = { [unowned self] slug in watch(slug) }
    }

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
