import Glibc
import RegistryCore
import RegistrySystem

/// The serving daemon's own files in the tree root, beside its lock: the status file
/// (`ServiceStatus`) and the last repairing sweep's record (`RepairSweepRecord`). Their
/// names start with `.persona-registry`, which drift and the watcher leave alone.
///
/// Only the lock's holder writes them, so a fixed temp name is enough: the file is written
/// whole under `<name>.tmp` (whatever had that name is unlinked first, never written through,
/// so a planted link or hard link reaches nothing), then renamed over `name`. No fsync: they
/// say what the daemon does now, and a crash makes them stale anyway (a reader checks that
/// the lock's holder is the pid they name).
public enum ServiceFiles {
    public static let status = OwnEntryName.status
    public static let lastRepair = OwnEntryName.lastRepair
    static let readLimit = 16 << 20

    public static func write(_ text: String, as name: String, in tree: PersonaTree) throws {
        let temp = name + ".tmp"
        try AtomicReplace.replace(name, in: tree.rootDescriptor, temp: temp, bytes: Array(text.utf8),
                                  clearingTemp: true, display: tree.displayPath(temp))
    }

    /// What the status file says, `nil` when there is none or it is not one: a file that cannot
    /// be read (a FIFO or a directory planted there) or does not parse is no status.
    public static func status(in tree: PersonaTree) -> ServiceStatus? {
        (try? read(OwnEntryName.status, in: tree)).flatMap { $0.flatMap { ServiceStatus(fileText: $0) } }
    }

    /// The text of `name` in the root, `nil` when there is none. Never follows a link nor
    /// blocks on a FIFO; a file that is not regular or not UTF-8 is an error.
    public static func read(_ name: String, in tree: PersonaTree) throws -> String? {
        let display = tree.displayPath(name)
        let fd: Int32
        switch systemCall("open", display, { openat(tree.rootDescriptor, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }) {
        case .success(let opened): fd = opened
        case .failure(let error) where error.errno == .noSuchFileOrDirectory: return nil
        case .failure(let error): throw error
        }
        let file = FileDescriptor(owning: fd)
        let type = EntryType(mode: try file.status(path: display).st_mode)
        guard type == .regular else { throw SystemError(errno: .invalidArgument, operation: "read (a \(type.rawValue), not a regular file)", path: display) }
        guard let text = String(validating: try file.readAll(limit: readLimit, path: display), as: UTF8.self) else {
            throw SystemError(errno: .illegalByteSequence, operation: "read", path: display)
        }
        return text
    }
}
