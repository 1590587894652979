import CSystemExtras
import Glibc

/// The one sequence by which a whole file is replaced so that a reader sees the old file or
/// the new, never part of one: written completely under a temp name created with
/// `O_CREAT|O_EXCL|O_NOFOLLOW` (so nothing is ever written through a planted link), closed,
/// then renamed over the name; the temp file is removed if any step fails. No fsync: callers
/// flush once for many writes, or write files a crash makes stale anyway.
package enum AtomicReplace {
    /// Replaces `name` in `directory` (a directory's descriptor, or `AT_FDCWD` with `name` and
    /// `temp` as paths). `clearingTemp`: `temp` is a fixed name, so whatever has it (a crashed
    /// writer's file, a planted link) is unlinked first; a unique temp name is not.
    /// `mode`: set with `fchmod` whatever the umask, when given. `display`: `temp`'s path for
    /// messages.
    package static func replace(_ name: String, in directory: Int32, temp: String, bytes: [UInt8],
                                clearingTemp: Bool, mode: mode_t? = nil, display: String) throws(SystemError) {
        if clearingTemp, case .failure(let error) = systemCall("unlinkat", display, { unlinkat(directory, temp, 0) }),
           error.errno != .noSuchFileOrDirectory {
            throw error
        }
        let fd = try retryOnEINTR("openat", display) {
            openat(directory, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0o644)
        }
        do throws(SystemError) {
            // Closed before the rename (the descriptor goes at the end of this statement), so
            // its IN_CLOSE_WRITE names the temp file: the daemon tells its own writes apart so.
            try Self.write(bytes, to: FileDescriptor(owning: fd), mode: mode, display: display)
            try retryOnEINTR("renameat", display) { renameat(directory, temp, directory, name) }
        } catch {
            _ = unlinkat(directory, temp, 0)
            throw error
        }
    }

    /// Creates `name` as `replace` writes it, but never replacing anything: the rename is
    /// `RENAME_NOREPLACE` (its two halves name the temp file and `name`, as `replace`'s do).
    /// `false`, the temp file removed, when something by that name exists. Where the file system
    /// cannot rename without replacing, the temp file is linked to `name` (refused the same way);
    /// where it has no hard links either, renamed over `name`, as `replace` does.
    package static func create(_ name: String, in directory: Int32, temp: String, bytes: [UInt8],
                               display: String) throws(SystemError) -> Bool {
        let fd = try retryOnEINTR("openat", display) {
            openat(directory, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0o644)
        }
        do throws(SystemError) {
            try Self.write(bytes, to: FileDescriptor(owning: fd), mode: nil, display: display)
            let placed = try place(temp, as: name, in: directory, display: display)
            // Renamed, the temp name is gone; linked or refused, it goes now.
            if placed != .renamed { _ = unlinkat(directory, temp, 0) }
            return placed != .exists
        } catch {
            _ = unlinkat(directory, temp, 0)
            throw error
        }
    }

    private enum Placed { case renamed, linked, exists }

    /// `temp` made `name` without replacing anything: renamed (`RENAME_NOREPLACE`), else linked,
    /// else (no hard links either) renamed over; `.exists` when something has the name.
    private static func place(_ temp: String, as name: String, in directory: Int32,
                              display: String) throws(SystemError) -> Placed {
        switch systemCall("rename", display, { persona_registry_renameat_noreplace(directory, temp, directory, name) }) {
        case .success: return .renamed
        case .failure(let error) where error.errno == .fileExists: return .exists
        case .failure(let error) where error.errno != .invalidArgument && error.errno != .noFunction: throw error
        case .failure: break
        }
        switch systemCall("linkat", display, { linkat(directory, temp, directory, name, 0) }) {
        case .success: return .linked
        case .failure(let error) where error.errno == .fileExists: return .exists
        case .failure(let error) where [.notPermitted, .notSupported, .tooManyLinks].contains(error.errno):
            try retryOnEINTR("renameat", display) { renameat(directory, temp, directory, name) }
            return .renamed
        case .failure(let error): throw error
        }
    }

    private static func write(_ bytes: [UInt8], to file: FileDescriptor, mode: mode_t?, display: String) throws(SystemError) {
        if let mode { try retryOnEINTR("fchmod", display) { fchmod(file.rawValue, mode) } }
        try file.writeAll(bytes, path: display)
    }
}
