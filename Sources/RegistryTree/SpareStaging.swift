import Glibc
import RegistryCore
import RegistrySystem
import Synchronization

/// One empty staging directory made ahead of the next new persona, so that its directory
/// does not wait for a `mkdirat`, the dearest call of the ones a new directory takes (an
/// inode and a directory block allocated, journaled). The daemon makes it between steps,
/// off the path from a commit to the directory; a one-shot command never does, and leaves
/// none behind. At most one exists; it is an own entry like any staging directory (no
/// finding, no change), and a crashed daemon's is removed as any leftover is.
///
/// The directory is named and open. Before it is used the name is checked to be the same
/// directory still (device and inode): a person may have moved it away or put something
/// else at its name meanwhile, and then it is given up (nothing at the name is touched) and
/// a new staging directory is made as before.
final class SpareStaging: Sendable {
    struct Directory: Sendable {
        let name: String
        let descriptor: FileDescriptor
        let identity: FileIdentity
    }

    private enum State: Sendable {
        /// None made yet, or the last one was used.
        case wanted
        case ready(Directory)
        /// Making one failed (a read-only or full file system): not tried again until a
        /// new directory was made without it (`madeWithout`), so a tree that cannot be
        /// written costs no system call per wait.
        case failed
    }

    private let state = Mutex<State>(.wanted)

    /// Whether `prepare` would try to make one.
    var isWanted: Bool {
        state.withLock { if case .wanted = $0 { true } else { false } }
    }

    /// Makes the spare in `root` if one is wanted. A failure is not reported: the next new
    /// directory makes its own staging directory and reports what goes wrong then.
    func prepare(in root: FileDescriptor, names: TempNames) {
        guard isWanted else { return }
        let name = names.staging()
        guard mkdirat(root.rawValue, name, 0o755) == 0 else {
            state.withLock { $0 = .failed }
            return
        }
        let fd = openat(root.rawValue, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        let descriptor = fd >= 0 ? FileDescriptor(owning: fd) : nil
        guard let descriptor, let identity = descriptor.identity else {
            unlinkat(root.rawValue, name, AT_REMOVEDIR)
            state.withLock { $0 = .failed }
            return
        }
        state.withLock { $0 = .ready(Directory(name: name, descriptor: descriptor, identity: identity)) }
    }

    /// The spare, taken (the next `prepare` makes another), if its name in `root` is still
    /// the directory made; `nil` if there is none or it was given up.
    func take(in root: FileDescriptor) -> Directory? {
        let taken = state.withLock { state -> Directory? in
            guard case .ready(let directory) = state else { return nil }
            state = .wanted
            return directory
        }
        guard let taken, FileIdentity(of: taken.name, in: root.rawValue) == taken.identity else { return nil }
        return taken
    }

    /// A new directory was made without the spare: one may be made again.
    func madeWithout() {
        state.withLock { if case .failed = $0 { $0 = .wanted } }
    }

    /// Removes the spare (at stop, or when the tree is given up): only the directory made,
    /// and only while empty (`rmdir`), so whatever a person put in it stays.
    func discard(in root: FileDescriptor) {
        guard let directory = take(in: root) else { return }
        unlinkat(root.rawValue, directory.name, AT_REMOVEDIR)
    }
}
