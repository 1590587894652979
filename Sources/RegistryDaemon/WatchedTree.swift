import Logging
import RegistryCore
import RegistrySystem
import RegistryTree

/// The tree as the daemon serves it: the open, locked root, its inotify watches
/// and the filter of the daemon's own changes (`OwnChanges`). What a person
/// changed comes out as `DaemonState.Change`s; deciding what to do about them
/// is `DaemonState`'s.
final class WatchedTree {
    /// The pipeline over the open tree (`sweep`, `apply`, `recheck`: `WatchedTree+Sync`).
    private(set) var sync: TreeSync
    /// The seed templates served (an override directory, or the layout's built-in set).
    var templates: SeedTemplateChoice {
        didSet { sync.templates = templates.templates }
    }
    private var lock: TreeLock
    private(set) var watcher: TreeWatcher
    private var ownChanges = OwnChanges()
    var outOfWatchesLogged = false
    /// The configured path: what the tree must be found at (`isLive`) and made again at.
    let treePath: String
    let logger: Logger
    /// Called after each entry of a step: the daemon's watchdog.
    var onProgress: () -> Void = {}

    /// Opens and locks the tree and sets up the inotify instance (nothing watched yet: `start`).
    init(configuration: DaemonConfiguration, logger: Logger) throws {
        treePath = configuration.treePath
        self.logger = logger
        // Templates first: a bad templates directory leaves no tree behind.
        templates = try SeedTemplateChoice(path: configuration.templatesPath)
        sync = TreeSync(tree: try PersonaTree(path: configuration.treePath, create: true), templates: templates.templates)
        lock = try TreeLock(rootDescriptor: sync.tree.rootDescriptor, treePath: sync.tree.path)
        watcher = try TreeWatcher(rootDescriptor: sync.tree.rootDescriptor)
    }

    var inotifyDescriptor: Int32 { watcher.rawValue }
    var watchCount: Int { watcher.count }
    var lockPath: String { lock.path }

    /// Watches the root and its parent; a directory the tree makes is watched as it is made.
    func start() throws {
        try watcher.watchRoot(rootDescriptor: sync.tree.rootDescriptor)
        watchParent()
        hookDirectories()
    }

    /// What a person changed since the last read (the daemon's own changes are left out).
    func changes() throws -> [DaemonState.Change] {
        notes(ownChanges.endStep(try watcher.events(), after: nil))
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
    func settle(after outcome: SyncResult?) -> [DaemonState.Change] {
        holdChanges()
        prepareSpare()
        return notes(ownChanges.endStep(after: outcome))
    }

    /// After a step, off the path from a commit to its directory: the staging directory for
    /// the next new persona made ahead if the last was used (`PersonaTree.prepareSpareStaging`),
    /// never in a tree moved away. Its appearance is an own entry's, no change.
    private func prepareSpare() {
        guard sync.tree.wantsSpareStaging, isLive else { return }
        sync.tree.prepareSpareStaging()
    }

    /// At stop: the spare staging directory removed, so a stopped daemon leaves none.
    func discardSpare() {
        sync.tree.discardSpareStaging()
    }

    private func holdChanges() {
        do {
            ownChanges.hold(try watcher.events())
        } catch {
            logger.log(.inotifyUnreadable, "cannot read inotify events; a full sweep follows", ["error": "\(error)"])
            ownChanges.hold([.needsSweep("the inotify queue could not be read")])
        }
    }

    /// A person's changes as what the state machine is told; a persona directory that
    /// changed is watched (again) on the way.
    private func notes(_ changes: [TreeWatcher.Event]) -> [DaemonState.Change] {
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
    var isLive: Bool { sync.tree.isNamed(by: treePath) }

    /// The root moved or vanished: makes the tree directory again (only it: a missing parent
    /// means the whole place is gone, and that is for a person to decide), opens and locks
    /// it, and watches it, so the daemon keeps serving the path it was given and holds its
    /// lock there. Where the file system is read-only from here (the shipped unit's
    /// `ProtectSystem=strict` leaves only the tree writable) this ends the daemon, and the
    /// service manager makes the tree (`StateDirectory=`) and restarts it.
    func reopen(_ configuration: DaemonConfiguration) throws {
        discardSpare()  // first: the tree given up keeps no directory of ours, even if what follows fails
        let reopened: PersonaTree
        do {
            reopened = try PersonaTree.remade(at: treePath, after: sync.tree)
            try templates.use(configuration.templatesPath)
        } catch let error as SystemError where error.errno == .readOnlyFileSystem {
            throw FatalCause.treeNotRemakable(tree: treePath, error)
        }
        // The same tree moved back holds the lock already (taking it again would fail on it).
        // Another daemon holding the new root's lock ends this one, as does any failure to take
        // the lock (a FIFO or hard link where the lock file goes, a permission): as at start-up.
        if !lock.isHeld(inTree: reopened.rootDescriptor) {
            do {
                lock = try TreeLock(rootDescriptor: reopened.rootDescriptor, treePath: reopened.path)
            } catch {
                throw FatalCause.lockNotTaken(error)
            }
        }
        sync = TreeSync(tree: reopened, templates: templates.templates)
        do {
            watcher = try TreeWatcher(rootDescriptor: sync.tree.rootDescriptor)
            try watcher.watchRoot(rootDescriptor: sync.tree.rootDescriptor)
        } catch {
            logger.log(.rootUnwatchable, "cannot watch the tree root", ["tree": "\(sync.tree.path)", "error": "\(error)"])
        }
        watchParent()
        hookDirectories()
        logger.log(.treeRemade, "the tree was made again and is locked", ["tree": "\(sync.tree.path)", "lock": "\(lock.path)"])
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
        sync.directoryCreated = { [unowned self] slug, currentName in
            ownChanges.directoryCreated(slug)
            watch(slug, at: currentName)
        }
        sync.directoryListed = { [unowned self] slug in watch(slug) }
    }
}
