import Glibc
import RegistryCore
import RegistrySystem

/// What can truthfully be said about a new persona's directory right after
/// its row was added: only a daemon serving the tree creates it.
public enum DirectoryArrival: Sendable, Equatable {
    /// The directory and its identity file exist.
    case created
    /// No daemon holds the tree's lock: nothing creates the directory now.
    case noDaemon
    /// A daemon serves the tree; the caller chose not to wait.
    case notWaited
    /// A daemon serves the tree but the directory did not appear in time.
    case timedOut

    /// Waits (inotify on the tree, at most `timeoutMilliseconds`) until a daemon
    /// serving `tree` has made `<tree>/<slug>/identity.yaml`; with `wait` false it
    /// only looks whether a daemon serves the tree. Creates nothing.
    public static func observe(slug: String, tree: String, wait: Bool, timeoutMilliseconds: Int) throws -> DirectoryArrival {
        let directory = tree + "/" + (try PersonaTree.component(slug))
        if exists(directory) { return .created }
        guard TreeLock.isHeld(treePath: tree) else { return .noDaemon }
        guard wait else { return .notWaited }
        let deadline = MonotonicClock.microseconds + UInt64(max(timeoutMilliseconds, 0)) * 1000
        let inotify = try Inotify()
        // "/." resolves a tree path that is a symlink (the operator's /srv/personas -> /data/personas),
        // as the daemon's own open does; only names inside the tree are never followed.
        _ = try inotify.addWatch(tree + "/.")
        var watchingDirectory = false
        while true {
            // Watch first, then look: nothing that happens in between is missed.
            if !watchingDirectory, TextFile.isDirectory(directory) {
                // Never through a symlink (IN_DONT_FOLLOW): then only the root watch wakes us.
                _ = try? inotify.addWatch(directory)
                watchingDirectory = true
            }
            if exists(directory) { return .created }
            let now = MonotonicClock.microseconds
            guard now < deadline else { return .timedOut }
            let milliseconds = Int32(clamping: (deadline - now + 999) / 1000)
            _ = try Poller.wait([inotify.rawValue], timeoutMilliseconds: milliseconds)
            _ = try inotify.readEvents()
        }
    }

    /// The directory is there with its identity file (written last when not made whole at once).
    /// A symbolic link under the slug is not the persona's directory (the daemon leaves it alone
    /// and reports it), whatever it leads to.
    private static func exists(_ directory: String) -> Bool {
        var info = stat()
        guard lstat(directory, &info) == 0, EntryType(mode: info.st_mode) == .directory else { return false }
        return lstat(directory + "/" + PersonaTree.identityFileName, &info) == 0
    }
}
