import CSystemExtras
import Glibc
import RegistryCore
import RegistrySystem

/// The exclusive lock a daemon holds on its tree for as long as it runs:
/// `flock(LOCK_EX|LOCK_NB)` on `<tree>/.persona-registry.lock`. The kernel
/// releases it when the process exits, however it exits.
///
/// Nothing is ever written into the lock file, and it is refused (before and
/// after opening it) unless it is a regular file with exactly one name (a hard link to a
/// file outside the tree is neither written nor locked). The holder's pid comes
/// from the kernel's own table (`/proc/locks`, `lslocks`), never from the file.
public final class TreeLock {
    public static let fileName = OwnEntryName.lock

    let descriptor: FileDescriptor
    public let path: String

    /// Who takes the lock: a daemon for as long as it runs, or a `reconcile` for its run. Each
    /// also marks the file with an open file description lock (`fcntl` `F_OFD_SETLK`, which does
    /// not conflict with `flock` on a local file system): a daemon a read mark, a reconcile a
    /// write mark, so that a daemon that finds the lock held can tell a reconcile (it waits)
    /// from another daemon, and a command can ask who holds it without taking anything.
    public enum Holder: Sendable {
        case daemon, reconcile
    }

    /// Takes the lock in the tree whose root is open as `rootDescriptor`.
    /// Throws a `TreeLockError` naming the lock file when another process holds it.
    public init(rootDescriptor: Int32, treePath: String, as holder: Holder = .daemon) throws {
        path = treePath.hasSuffix("/") ? treePath + TreeLock.fileName : treePath + "/" + TreeLock.fileName
        // Looked at before it is opened, so that not even an open reaches a device or a FIFO
        // planted under its name; checked again on the open file, which is what counts.
        var existing = stat()
        if fstatat(rootDescriptor, TreeLock.fileName, &existing, AT_SYMLINK_NOFOLLOW) == 0 {
            try TreeLock.check(existing, path: path)
        }
        let fd: Int32
        do {
            // Read-write though nothing is written: over NFS an exclusive flock needs it.
            fd = try retryOnEINTR("open", path) {
                openat(rootDescriptor, TreeLock.fileName, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0o600)
            }
        } catch {
            throw TreeLockError(path: path, reason: error.message)
        }
        descriptor = FileDescriptor(owning: fd)
        do {
            let info = try descriptor.status(path: path)
            try TreeLock.check(info, path: path)
            // Its owner's only: whoever can open it can flock it (read-only suffices) and so keep a
            // daemon from serving, or set a mark that says one serves. A file made by an earlier
            // version (0644) is narrowed when it is ours.
            if info.st_mode & 0o077 != 0, info.st_uid == geteuid() { _ = fchmod(fd, 0o600) }
        } catch let error as SystemError {
            throw TreeLockError(path: path, reason: error.message)
        }
        // The mark is set before the flock and dropped after it (`deinit`), so that whenever the
        // kernel's table shows the flock, the mark says who holds it. A mark refused here (another
        // process's brief one) is set again once the flock is ours.
        let write: Int32 = holder == .reconcile ? 1 : 0
        let marked = persona_registry_ofd_mark(fd, write) == 0
        do {
            try retryOnEINTR("flock", path) { flock(fd, LOCK_EX | LOCK_NB) }
        } catch where error.errno == .wouldBlock {
            let pid = LockHolder.pid(of: fd).map { " (pid \($0))" }
            if persona_registry_ofd_probe(fd) == 2 {
                throw TreeLockError(path: path, reason: "a persona-registry reconcile holds it" + (pid ?? ""), heldByReconcile: true,
                                    heldByAnother: true)
            }
            // The kernel's lock table may be hidden (`ProcSubset=pid`): then `lslocks` as root tells.
            throw TreeLockError(path: path, reason: "another persona-registry serve holds it" + (pid ?? " (lslocks shows its pid)"),
                                heldByAnother: true)
        } catch {
            throw TreeLockError(path: path, reason: error.message)
        }
        // Where the file system has no such locks (an old NFS), a daemon finding a reconcile's lock
        // only fails and is restarted, and commands fall back to `/proc/locks` (`TreeLock.holding`),
        // signalling only a verified `serve` (`ServingDaemon.find`).
        if !marked { _ = persona_registry_ofd_mark(fd, write) }
    }

    deinit {
        // The flock first: the kernel would drop the mark first on close, and for that moment
        // the lock would look like a daemon's.
        _ = flock(descriptor.rawValue, LOCK_UN)
    }

    /// Whether the lock file in the tree open as `rootDescriptor` is the file this lock holds
    /// (a tree moved away and back): locking it again would conflict with this very lock.
    public func isHeld(inTree rootDescriptor: Int32) -> Bool {
        guard let held = descriptor.identity else { return false }
        return FileIdentity(of: TreeLock.fileName, in: rootDescriptor) == held
    }

    /// Refuses a lock file that is not a regular file of the tree's own: another
    /// name (a hard link) may be a file outside the tree.
    private static func check(_ info: stat, path: String) throws(TreeLockError) {
        let type = EntryType(mode: info.st_mode)
        guard type == .regular else {
            throw TreeLockError(path: path, reason: "it is a \(type.rawValue), not a regular file; remove it")
        }
        guard info.st_nlink == 1 else {
            throw TreeLockError(path: path, reason: "it has \(info.st_nlink) hard links (a name outside the tree may share it); remove it")
        }
    }
}

/// The tree's lock could not be taken.
public struct TreeLockError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    /// A reconcile holds it (for its run): a daemon waits rather than fail.
    public var heldByReconcile = false
    /// Another process holds it (not some other failure to lock).
    public var heldByAnother = false
    public var description: String { "cannot lock the tree: \(path): \(reason)" }
}
