import Glibc
import Synchronization
import RegistryCore
import RegistrySystem

/// The names this process gives its temporary entries (identity and seed temp files,
/// staging directories): its pid and a counter, so two writers never collide, and a
/// leftover names the writer that can be asked whether it is gone. Kept across a tree
/// made again (`PersonaTree.remade`), with the staging directories this process left.
final class TempNames: Sendable {
    /// This process's id (read once: glibc does not cache it).
    let pid = getpid()
    private let counter = Atomic<Int>(0)
    /// Staging directories this process made that may stay in the tree: a spare given up
    /// (moved, replaced, or something put in it), one it could not remove (a person's file
    /// in it). Never taken for an earlier process's leftovers.
    private let keptStaging = Mutex<Set<String>>([])

    /// How many names `makeStagingDirectory` tries before it gives up.
    static let stagingAttempts = 100

    /// The counter the next name gets (tests step around a name taken before).
    var nextCounter: Int { counter.load(ordering: .relaxed) + 1 }

    /// A new temp file name (`TempFileName`).
    func tempFile() -> String {
        TempFileName.make(pid: pid, counter: counter.add(1, ordering: .relaxed).newValue)
    }

    /// A new staging directory name (`StagingName`).
    func staging() -> String {
        StagingName.make(pid: pid, counter: counter.add(1, ordering: .relaxed).newValue)
    }

    /// Makes a new, empty staging directory in the directory open as `root` and returns its
    /// name; the next name if one is taken (left by an earlier process that had the same pid,
    /// as in a container where it is always 1), at most `stagingAttempts` names.
    func makeStagingDirectory(in root: FileDescriptor, display: (String) -> String) throws(SystemError) -> String {
        var attempts = 1
        while true {
            let name = staging()
            switch systemCall("mkdirat", display(name), { mkdirat(root.rawValue, name, 0o755) }) {
            case .success:
                return name
            case .failure(let error) where error.errno == .fileExists && attempts < Self.stagingAttempts:
                attempts += 1
            case .failure(let error):
                throw error
            }
        }
    }

    /// The staging directory `name` of this process stays in the tree (`keptStaging`).
    func keepStaging(_ name: String) {
        keptStaging.withLock { _ = $0.insert(name) }
    }

    /// Whether an entry written by `writer` (the pid its name carries) is a leftover that
    /// may be removed: never this process's own, never a live writer's.
    func isLeftover(writtenBy writer: Int32?) -> Bool {
        guard let writer, writer != pid, writer > 0 else { return false }
        return ProcessLiveness.isGone(writer)
    }

    /// Whether the staging directory `name` is a leftover that may be removed: its writer is
    /// gone, or it carries this process's pid but this process did not leave it (an earlier
    /// process that had the same pid: in a container the daemon is always 1). Never a live
    /// writer's, never `spare` (this process's, ready now), never one this process kept.
    func isLeftoverStaging(_ name: String, spare: String?) -> Bool {
        guard let writer = StagingName.writerPID(name), writer > 0 else { return false }
        guard writer == pid else { return ProcessLiveness.isGone(writer) }
        return name != spare && !keptStaging.withLock { $0.contains(name) }
    }
}
