import RegistryCore
import RegistryTree

/// The tree brought in step (`TreeSync`), with the templates the daemon serves: what
/// the steps ask of the tree.
extension WatchedTree {
    /// The tree's path, for messages.
    var path: String { sync.tree.path }

    /// The open tree while the configured path names it (the status and record files go
    /// there, never into a tree moved away), else `nil`.
    var liveTree: PersonaTree? { isLive ? sync.tree : nil }

    /// The database's layout, found on each connect: without an override directory, the
    /// seed files are the layout's own.
    func serve(_ layout: Layout) {
        _ = templates.serve(layout)
    }

    /// Re-reads an override directory (SIGHUP); nil is the built-in set.
    func useTemplates(_ path: String?) throws {
        try templates.use(path)
    }

    /// A page of a sweep's rows brought in step, flushed when it wrote (`TreeSync.sweepPage`).
    func sweepPage(_ personas: [Persona], policy: RepairPolicy, progress: () -> Void) throws -> SyncResult {
        try sync.sweepPage(personas, policy: policy, progress: progress)
    }

    /// After a sweep's last page, the root entries no row claims (`TreeSync.sweepUnclaimed`).
    func sweepUnclaimed(claimed: Set<String>, policy: RepairPolicy, progress: () -> Void) throws -> SyncResult {
        try sync.sweepUnclaimed(claimed: claimed, policy: policy, progress: progress)
    }

    /// Rows named by notifications, brought in step without a flush (`TreeSync.apply`), those
    /// of `presumedMissing` without a lookup first.
    func apply(_ personas: [Persona], presumedMissing: Set<String>) throws -> SyncResult {
        try sync.apply(personas, presumedMissing: presumedMissing, progress: stepProgress)
    }

    /// Entries re-checked under `policy`, flushed at the end (`TreeSync.recheck`).
    func recheck(_ names: Set<String>, personas: [Persona], policy: RepairPolicy) throws -> SyncResult {
        try sync.recheck(names, personas: personas, policy: policy)
    }

    /// Flushes the tree's file system (`syncfs`): once per burst of notifications.
    func flush() throws {
        try sync.tree.flush()
    }
}
