import Glibc
import Synchronization
import RegistryCore
import RegistrySystem

/// The names this process gives its temporary entries (identity and seed temp files,
/// staging directories): its pid and a counter, so two writers never collide, and a
/// leftover names the writer that can be asked whether it is gone.
final class TempNames: Sendable {
    /// This process's id (read once: glibc does not cache it).
    let pid = getpid()
    private let counter = Atomic<Int>(0)

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

    /// Whether an entry written by `writer` (the pid its name carries) is a leftover that
    /// may be removed: never this process's own, never a live writer's.
    func isLeftover(writtenBy writer: Int32?) -> Bool {
        guard let writer, writer != pid, writer > 0 else { return false }
        return ProcessLiveness.isGone(writer)
    }
}
