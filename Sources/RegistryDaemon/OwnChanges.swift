import RegistryCore
import RegistrySystem
import RegistryTree

/// The daemon's own changes to the tree, told apart from a person's in this one
/// place. Its inotify watches report what it does itself (a directory made for
/// an insert, seed files, an identity file's temp file and rename); those
/// events cause no re-check. Dropped: the steps of an atomic identity write of
/// this process (its temp file, named with the writer's pid, created, written
/// and renamed to `identity.yaml`), a directory the current step made (its
/// appearance, once, and its seed files), and the files the step says it wrote
/// or removed. During a long step (a sweep of 100,000 personas, a large batch)
/// the queue is read every `DaemonPacing.inotifyReadInterval` entries so it does not overflow; what
/// is read is held until the step ends and says what it did.
struct OwnChanges {
    /// The pid in the names of this process's temp files.
    let pid: Int32
    /// Changes read during the current step, waiting for its end.
    private(set) var held: [TreeWatcher.Event] = []
    /// Entries handled in the current step.
    private var entries = 0
    /// Persona directories made in the current step.
    private(set) var created: Set<String> = []
    /// Cookies of renames that moved one of this process's temp files away: the matching
    /// half (`identity.yaml` renamed to) is its own too. Kept across reads and steps: the
    /// two halves may be read apart.
    private var ownRenames: Set<UInt32> = []

    init(pid: Int32 = CurrentProcess.id) {
        self.pid = pid
    }

    /// The step made persona directory `slug`.
    mutating func directoryCreated(_ slug: String) {
        created.insert(slug)
    }

    /// The step handled one more entry: whether to read the inotify queue now.
    mutating func entryHandled() -> Bool {
        entries += 1
        return entries % DaemonPacing.inotifyReadInterval == 0
    }

    /// Keeps changes read during the step; those of a directory it made are dropped at
    /// once, so a sweep creating 100,000 directories holds nothing for them.
    mutating func hold(_ changes: [TreeWatcher.Event]) {
        held += withoutAtomicWrites(changes).filter { !isInNewDirectory($0) }
    }

    /// Ends the step: the held changes and `fresh` ones, less what `outcome` (what the
    /// step did; `nil` when it failed, and every event counts) says were its own: each
    /// directory it created appearing (once), each file it wrote or removed.
    mutating func endStep(_ fresh: [TreeWatcher.Event] = [], after outcome: SyncResult?) -> [TreeWatcher.Event] {
        defer {
            held = []
            entries = 0
            created = []
        }
        var made = Set(outcome?.created.map(\.slug) ?? [])
        let touched = outcome?.touchedFiles ?? [:]
        return (held + withoutAtomicWrites(fresh)).filter { change in
            switch change {
            case .directoryAppeared(let name):
                made.remove(name) == nil
            case .fileChanged(let slug, let name):
                touched[slug]?.contains(name) != true
            case .entry, .needsSweep, .rootGone, .fileRenamed:
                true
            }
        }
    }

    /// `changes` without the steps of this process's atomic identity writes (any event naming
    /// one of its temp files, and the arrival half of a rename whose other half moved one
    /// away); any other rename is a change of its file. So no `.fileRenamed` comes out.
    private mutating func withoutAtomicWrites(_ changes: [TreeWatcher.Event]) -> [TreeWatcher.Event] {
        changes.compactMap { change in
            switch change {
            case .fileChanged(_, let name) where TempFileName.writerPID(name) == pid:
                return nil
            case .fileRenamed(_, let name, let cookie, let away) where TempFileName.writerPID(name) == pid:
                if away { ownRenames.insert(cookie) }
                return nil
            case .fileRenamed(let slug, let name, let cookie, let away):
                if !away, ownRenames.remove(cookie) != nil { return nil }
                return .fileChanged(slug: slug, name: name)
            default:
                return change
            }
        }
    }

    /// A directory made in this step appearing, or its seed files being written.
    private func isInNewDirectory(_ change: TreeWatcher.Event) -> Bool {
        switch change {
        case .directoryAppeared(let name):
            created.contains(name)
        case .fileChanged(let slug, let name):
            created.contains(slug) && SeedTemplates.seedFileNames.contains(name)
        case .entry, .needsSweep, .rootGone, .fileRenamed:
            false
        }
    }
}
