import Glibc
import RegistryCore
import RegistrySystem

/// The files of one persona directory, opened: read and written relative to its
/// descriptor without following a link. Identity files (read under the size cap,
/// written atomically), seed files (never replaced), the registry's own leftover
/// temp files. Made by `PersonaTree.files(in:)` once the directory is open.
struct TreeFiles: Sendable {
    let directory: FileDescriptor
    let slug: String
    /// The tree's path, for messages.
    let treePath: String
    let names: TempNames

    /// `tree/slug/name` for messages.
    func display(_ name: String) -> String { treePath + "/" + slug + "/" + name }

    /// What `name` is here, never following a link; `nil` if absent.
    func entryType(_ name: String) throws -> EntryType? {
        try directory.entryType(of: name, path: display(name))
    }

    /// Reads `identity.yaml` without following a symbolic link, without blocking on a
    /// FIFO (`O_NONBLOCK`, and the type is checked before and after opening) and without
    /// reading more than the size cap.
    func readIdentity() -> IdentityRead {
        let name = PersonaTree.identityFileName
        let display = display(name)
        do {
            guard let type = try entryType(name) else { return .missing }
            guard type == .regular else { return .notRegularFile(type) }
            let fd = try retryOnEINTR("openat", display) {
                openat(directory.rawValue, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
            }
            let file = FileDescriptor(owning: fd)
            let info = try file.status(path: display)
            let openedType = EntryType(mode: info.st_mode)
            guard openedType == .regular else { return .notRegularFile(openedType) }
            guard Int(info.st_size) <= IdentityDecoder.sizeCap else { return .tooLarge(size: Int(info.st_size)) }
            let bytes = try file.readAll(limit: IdentityDecoder.sizeCap + 1, path: display)
            guard bytes.count <= IdentityDecoder.sizeCap else { return .tooLarge(size: bytes.count) }
            return .contents(bytes)
        } catch let error as SystemError {
            if error.errno == .noSuchFileOrDirectory { return .missing }
            if error.errno == .tooManySymbolicLinkLevels { return .notRegularFile(.symlink) }
            return .unreadable(error.description)
        } catch {
            return .unreadable(SystemError(errno: .ioError, operation: "read", path: display).description)
        }
    }

    /// Replaces `name` atomically: a temp file `.identity.yaml.tmp-<pid>-<n>` is created
    /// beside it (`O_CREAT|O_EXCL|O_NOFOLLOW`), written completely and closed (so its
    /// IN_CLOSE_WRITE names the temp file: the daemon tells its own writes apart by that
    /// name), then renamed over `name`. No fsync here: the caller flushes once for many
    /// writes (`PersonaTree.flush()`).
    func writeAtomically(_ bytes: [UInt8], name: String) throws {
        try withTempName { temp in
            try AtomicReplace.replace(name, in: directory.rawValue, temp: temp, bytes: bytes, clearingTemp: false, display: display(temp))
        }
    }

    /// Writes `name` as `writeAtomically` does, but only if nothing by that name exists
    /// (`AtomicReplace.create`): `false` if something does. An identity file found missing is
    /// created so: whole, and never over one a person made since.
    func writeAtomicallyIfAbsent(_ bytes: [UInt8], name: String) throws -> Bool {
        try withTempName { temp in
            try AtomicReplace.create(name, in: directory.rawValue, temp: temp, bytes: bytes, display: display(temp))
        }
    }

    /// `body` with a new temp name, or the next while `body` finds its name taken (`openat`'s
    /// `EEXIST`: left by an earlier process with the same pid, as in a container where every
    /// run is pid 1), as staging names are stepped; the taken file is left as it is.
    private func withTempName<T>(_ body: (String) throws -> T) throws -> T {
        var attempts = 0
        while true {
            let temp = names.tempFile()
            do {
                return try body(temp)
            } catch let error as SystemError
                        where error.errno == .fileExists && error.operation == "openat" && error.path == display(temp) && attempts < 100 {
                attempts += 1
            }
        }
    }

    /// Creates `name` with `bytes` only if nothing by that name exists: a seed file is never
    /// overwritten. `false` if it existed. The complete file is written under a temp
    /// name first and then hard-linked to `name` (`linkat` fails with `EEXIST` rather than
    /// replace anything), so a reader never sees half a seed file. Where the file system
    /// has no hard links, the file is created in place with `O_EXCL`.
    /// `seenAbsent` skips the first look for `name` in a directory this process has just
    /// made (`linkat` still refuses to replace anything found there).
    func createFileIfAbsent(_ name: String, bytes: [UInt8], seenAbsent: Bool = false) throws -> Bool {
        let display = display(name)
        if !seenAbsent, try entryType(name) != nil { return false }
        let (temp, fd) = try withTempName { temp in
            (temp, try retryOnEINTR("openat", self.display(temp)) {
                openat(directory.rawValue, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            })
        }
        let tempDisplay = self.display(temp)
        defer { _ = unlinkat(directory.rawValue, temp, 0) }
        // Closed before the link, so no write reaches `name` after it appears.
        try FileDescriptor(owning: fd).writeAll(bytes, path: tempDisplay)
        switch systemCall("linkat", display, { linkat(directory.rawValue, temp, directory.rawValue, name, 0) }) {
        case .success:
            return true
        case .failure(let error) where error.errno == .fileExists:
            return false
        case .failure(let error) where error.errno == .notPermitted || error.errno == .notSupported || error.errno == .tooManyLinks:
            guard let file = try openNew(name, display: display) else { return false }
            do {
                try file.writeAll(bytes, path: display)
            } catch {
                _ = unlinkat(directory.rawValue, name, 0)
                throw error
            }
            return true
        case .failure(let error):
            throw error
        }
    }

    /// `openat(O_CREAT|O_EXCL|O_NOFOLLOW)`; `nil` if the name exists.
    func openNew(_ name: String, display: String) throws(SystemError) -> FileDescriptor? {
        switch systemCall("openat", display, {
            openat(directory.rawValue, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        }) {
        case .success(let fd): return FileDescriptor(owning: fd)
        case .failure(let error) where error.errno == .fileExists: return nil
        case .failure(let error): throw error
        }
    }

    /// Removes `name`, a temp file whose writer `PersonaTree.removeLeftoverTempFile` found
    /// gone, if it is (still) a regular file. `true` if removed.
    func removeTempFile(_ name: String) throws -> Bool {
        guard try entryType(name) == .regular else { return false }
        switch systemCall("unlinkat", display(name), { unlinkat(directory.rawValue, name, 0) }) {
        case .success: return true
        case .failure(let error) where error.errno == .noSuchFileOrDirectory: return false
        case .failure(let error): throw error
        }
    }
}
