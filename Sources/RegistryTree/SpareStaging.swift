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
/// directory still, unchanged (`FileStamp`: device, inode and change time, which any entry
/// added, removed or renamed in it moves): a person may have moved it away, put something
/// else at its name or something in it meanwhile, and then it is given up (nothing at the
/// name or in it is touched, and it is never taken for a leftover) and a new staging
/// directory is made as before.
final class SpareStaging: Sendable {
    struct Directory: Sendable {
        let name: String
        let descriptor: FileDescriptor
        let stamp: FileStamp
    }

    private enum State: Sendable {
        /// None made yet, or the last one was used.
        case wanted
        /// Being made (`prepare`): neither made again nor taken meanwhile.
        case making
        case ready(Directory)
        /// Making one failed (a read-only or full file system): not tried again until a
        /// new directory was made without it (`madeWithout`), so a tree that cannot be
        /// written costs no system call per wait.
        case failed
    }

    private let state = Mutex<State>(.wanted)
    private let names: TempNames

    init(names: TempNames) {
        self.names = names
    }

    /// Whether `prepare` would try to make one.
    var isWanted: Bool {
        state.withLock { if case .wanted = $0 { true } else { false } }
    }

    /// The name of the spare ready now, if any.
    var readyName: String? {
        state.withLock { if case .ready(let directory) = $0 { directory.name } else { nil } }
    }

    /// Makes the spare in `root` if one is wanted. A failure is not reported: the next new
    /// directory makes its own staging directory and reports what goes wrong then.
    func prepare(in root: FileDescriptor) {
        let claimed = state.withLock { state -> Bool in
            guard case .wanted = state else { return false }
            state = .making
            return true
        }
        guard claimed else { return }
        let made = try? names.makeStagingDirectory(in: root, display: { $0 })
        let directory = made.flatMap { name -> Directory? in
            let fd = openat(root.rawValue, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            let descriptor = FileDescriptor(owning: fd)
            return FileStamp(descriptor).map { Directory(name: name, descriptor: descriptor, stamp: $0) }
        }
        if let made, directory == nil, unlinkat(root.rawValue, made, AT_REMOVEDIR) != 0 { names.keepStaging(made) }
        state.withLock { $0 = directory.map { .ready($0) } ?? .failed }
    }

    /// The spare, taken (the next `prepare` makes another), if its name in `root` is still
    /// the directory made, unchanged; `nil` if there is none or it was given up.
    func take(in root: FileDescriptor) -> Directory? {
        let taken = state.withLock { state -> Directory? in
            guard case .ready(let directory) = state else { return nil }
            state = .wanted
            return directory
        }
        guard let taken else { return nil }
        guard FileStamp(of: taken.name, in: root.rawValue) == taken.stamp else {
            names.keepStaging(taken.name)
            return nil
        }
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
        if unlinkat(root.rawValue, directory.name, AT_REMOVEDIR) != 0 { names.keepStaging(directory.name) }
    }
}
