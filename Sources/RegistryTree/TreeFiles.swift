import Glibc
import RegistryCore
import RegistrySystem

/// The files of persona directories, read and written relative to a
/// directory descriptor without following a link: identity files (read
/// under the size cap, written atomically), seed files (never replaced), the
/// registry's own leftover temp files.
public struct TreeFiles: Sendable {
    public let tree: PersonaTree

    public init(tree: PersonaTree) { self.tree = tree }

    /// Reads `slug/identity.yaml` without following a symbolic link, without
    /// blocking on a FIFO (`O_NONBLOCK`, and the type is checked before and
    /// after opening) and without reading more than the size cap.
    /// Throws only when the persona directory itself cannot be opened.
    public func readIdentity(_ slug: String) throws -> IdentityRead {
        let directory = try tree.openPersonaDirectory(slug)
        return readIdentity(in: directory, slug: slug)
    }

    func readIdentity(in directory: FileDescriptor, slug: String) -> IdentityRead {
        let name = PersonaTree.identityFileName
        let display = tree.displayPath(slug, name)
        do {
            guard let type = try tree.entryType(name, relativeTo: directory, display: display) else { return .missing }
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
            if error.errno == ENOENT { return .missing }
            if error.errno == ELOOP { return .notRegularFile(.symlink) }
            return .unreadable(error.description)
        } catch {
            return .unreadable(SystemError(errno: EIO, operation: "read", path: display).description)
        }
    }

    /// Replaces `slug/identity.yaml` atomically: a temp file
    /// `.identity.yaml.tmp-<pid>-<n>` is created beside it
    /// (`O_CREAT|O_EXCL|O_NOFOLLOW`), written completely, then renamed over
    /// the old name. No fsync here: the caller flushes once for many writes (`flush()`).
    public func writeIdentity(_ bytes: [UInt8], slug: String) throws {
        let directory = try tree.openPersonaDirectory(slug)
        try writeAtomically(bytes, name: PersonaTree.identityFileName, in: directory, slug: slug)
    }

    func writeAtomically(_ bytes: [UInt8], name: String, in directory: FileDescriptor, slug: String) throws {
        let temp = TempFileName.make(pid: tree.writerPID, counter: tree.tempCounter.add(1, ordering: .relaxed).newValue)
        let display = tree.displayPath(slug, temp)
        let fd = try retryOnEINTR("openat", display) {
            openat(directory.rawValue, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        }
        do {
            try writeAndClose(bytes, to: FileDescriptor(owning: fd), path: display)
            try retryOnEINTR("renameat", display) { renameat(directory.rawValue, temp, directory.rawValue, name) }
        } catch {
            _ = unlinkat(directory.rawValue, temp, 0)
            throw error
        }
    }

    /// Writes and closes the temp file before it is renamed, so its
    /// IN_CLOSE_WRITE names the temp file (the daemon tells its own writes
    /// apart by that name), never the identity file.
    private func writeAndClose(_ bytes: [UInt8], to file: consuming FileDescriptor, path: String) throws {
        try writeAll(bytes, to: file, path: path)
    }

    /// Creates `slug/name` with `bytes` only if nothing by that name exists:
    /// a seed file is never overwritten. `false` if it existed.
    @discardableResult
    public func createFileIfAbsent(_ name: String, bytes: [UInt8], slug: String) throws -> Bool {
        try createFileIfAbsent(name, bytes: bytes, in: tree.openPersonaDirectory(slug), slug: slug)
    }

    /// The complete file is written under a temp name first and then hard-linked to
    /// `name` (`linkat` fails with `EEXIST` rather than replace anything), so a reader
    /// never sees half a seed file. Where the file system has no hard links, the file
    /// is created in place with `O_EXCL`.
    /// `inNewDirectory` skips the first look for `name` in a directory this process
    /// has just made (`linkat` still refuses to replace anything found there).
    func createFileIfAbsent(_ name: String, bytes: [UInt8], in directory: FileDescriptor, slug: String,
                            inNewDirectory: Bool = false) throws -> Bool {
        let display = tree.displayPath(slug, name)
        if !inNewDirectory, try tree.entryType(name, relativeTo: directory, display: display) != nil { return false }
        let temp = TempFileName.make(pid: tree.writerPID, counter: tree.tempCounter.add(1, ordering: .relaxed).newValue)
        let tempDisplay = tree.displayPath(slug, temp)
        let fd = try retryOnEINTR("openat", tempDisplay) {
            openat(directory.rawValue, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        }
        defer { _ = unlinkat(directory.rawValue, temp, 0) }
        try writeAndClose(bytes, to: FileDescriptor(owning: fd), path: tempDisplay)
        switch systemCall("linkat", display, { linkat(directory.rawValue, temp, directory.rawValue, name, 0) }) {
        case .success:
            return true
        case .failure(let error) where error.errno == EEXIST:
            return false
        case .failure(let error) where error.errno == EPERM || error.errno == EOPNOTSUPP || error.errno == EMLINK:
            guard let file = try openNew(name, in: directory, display: display) else { return false }
            do {
                try writeAll(bytes, to: file, path: display)
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
    func openNew(_ name: String, in directory: FileDescriptor, display: String) throws(SystemError) -> FileDescriptor? {
        switch systemCall("openat", display, {
            openat(directory.rawValue, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        }) {
        case .success(let fd): return FileDescriptor(owning: fd)
        case .failure(let error) where error.errno == EEXIST: return nil
        case .failure(let error): throw error
        }
    }

    func writeAll(_ bytes: [UInt8], to file: FileDescriptor, path: @autoclosure () -> String) throws {
        try file.writeAll(bytes, path: path())
    }

    /// Removes `slug/name` if it is a leftover temp file of ours: the name
    /// matches our pattern, it is a regular file, and the process that wrote it
    /// is gone (never a live writer's file, never our own). `true` if removed.
    @discardableResult
    public func removeLeftoverTempFile(_ name: String, slug: String) throws -> Bool {
        guard let pid = TempFileName.writerPID(name), pid != tree.writerPID, pid > 0 else { return false }
        guard ProcessLiveness.isGone(pid) else { return false }
        let directory = try tree.openPersonaDirectory(slug)
        guard try tree.entryType(name, relativeTo: directory, display: tree.displayPath(slug, name)) == .regular else { return false }
        switch systemCall("unlinkat", tree.displayPath(slug, name), { unlinkat(directory.rawValue, name, 0) }) {
        case .success: return true
        case .failure(let error) where error.errno == ENOENT: return false
        case .failure(let error): throw error
        }
    }
}
