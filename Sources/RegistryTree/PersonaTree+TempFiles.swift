import Glibc
import RegistryCore
import RegistrySystem

extension PersonaTree {
    /// Removes `slug/name` if it is a leftover temp file of ours: the name
    /// matches our pattern, it is a regular file, and the process that wrote it
    /// is gone (never a live writer's file, never our own). `true` if removed.
    @discardableResult
    public func removeLeftoverTempFile(_ name: String, slug: String) throws -> Bool {
        guard let pid = TempFileName.writerPID(name), pid != writerPID, pid > 0 else { return false }
        guard ProcessLiveness.isGone(pid) else { return false }
        let directory = try openPersonaDirectory(slug)
        guard try entryType(name, relativeTo: directory, display: displayPath(slug, name)) == .regular else { return false }
        switch systemCall("unlinkat", displayPath(slug, name), { unlinkat(directory.rawValue, name, 0) }) {
        case .success: return true
        case .failure(let error) where error.errno == ENOENT: return false
        case .failure(let error): throw error
        }
    }
}
