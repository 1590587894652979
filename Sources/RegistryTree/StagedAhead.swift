import RegistryCore
import RegistrySystem
import Synchronization

/// New persona directories made whole under their staging names ahead of their renames,
/// a run of a burst's at a time, their writes shared between two threads
/// (`NewDirectory.stageAhead`). The renames stay with the step, one entry at a time in the
/// one pipeline: `createWhole` takes the staged directory of its slug, checks it is the
/// same directory still with nothing added (`FileStamp`, as for the spare), and renames it;
/// one found changed is given up and kept with what is in it. What a step did not take is
/// removed at its end (`NewDirectory.discardStagedAhead`).
final class StagedAhead: Sendable {
    struct Directory: Sendable {
        let name: String
        /// The row it was written from: used only for the same row.
        let persona: Persona
        /// The seed files written, then the identity file.
        let files: [String]
        /// After the last write.
        let stamp: FileStamp
    }

    private let staged = Mutex<[String: Directory]>([:])

    /// Fewest new directories in a run worth a second thread (a thread costs about as much
    /// as a directory's writes).
    static let smallestRun = 8
    /// The most staged at once: a run is renamed (and its root events read) before the next.
    static let runLength = 256

    /// Adds `directories`; returns those displaced (a slug already staged keeps its first).
    func put(_ directories: [String: Directory]) -> [Directory] {
        var displaced: [Directory] = []
        staged.withLock {
            $0.merge(directories) { first, second in
                displaced.append(second)
                return first
            }
        }
        return displaced
    }

    /// The directory staged for `slug` from `persona`, taken (nil if none, or from another row).
    func take(_ slug: String, persona: Persona) -> Directory? {
        staged.withLock { staged in
            guard let directory = staged.removeValue(forKey: slug) else { return nil }
            guard directory.persona == persona else {
                staged[slug] = directory
                return nil
            }
            return directory
        }
    }

    /// Whether `name` is a directory staged now (never a leftover to remove).
    func isStaged(_ name: String) -> Bool {
        staged.withLock { $0.values.contains { $0.name == name } }
    }

    /// Every directory not taken, taken now.
    func takeAll() -> [Directory] {
        staged.withLock { staged in
            defer { staged = [:] }
            return Array(staged.values)
        }
    }
}
