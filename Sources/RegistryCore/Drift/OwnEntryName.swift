/// The names of the registry's own entries in the tree's root: each starts with `prefix`,
/// which drift and the daemon's watcher leave alone. Written here once.
public enum OwnEntryName {
    public static let prefix = ".persona-registry"
    /// The serving daemon's lock (`TreeLock`).
    public static let lock = prefix + ".lock"
    /// The serving daemon's status file (`ServiceFiles`).
    public static let status = prefix + ".status"
    /// The last repairing sweep's record (`ServiceFiles`).
    public static let lastRepair = prefix + ".last-repair"
    /// A new persona directory being made whole (`StagingName`).
    public static let stagingPrefix = prefix + "-new-"

    /// Whether a root entry is one of the registry's own.
    public static func isOwn(_ name: String) -> Bool { name.hasPrefix(prefix) }
}
