import RegistryCore
import RegistrySystem

extension SyncFailure {
    /// A failure kind that leaves out the file (`SystemError.failureKind`), so one cause is one kind.
    init(slug: String, error: any Error) {
        self.init(slug: slug, kind: SystemError.failureKind(of: error), detail: "\(error)")
    }
}
