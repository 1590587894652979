import Glibc
import RegistryCore
import RegistrySystem

extension PersonaTree {
    /// Reads `slug/identity.yaml` without following a symbolic link, without
    /// blocking on a FIFO (`O_NONBLOCK`, and the type is checked before and
    /// after opening) and without reading more than the size cap.
    /// Throws only when the persona directory itself cannot be opened.
    public func readIdentity(_ slug: String) throws -> IdentityRead {
        let directory = try openPersonaDirectory(slug)
        return readIdentity(in: directory, slug: slug)
    }

    func readIdentity(in directory: FileDescriptor, slug: String) -> IdentityRead {
        let name = PersonaTree.identityFileName
        let display = displayPath(slug, name)
        do {
            guard let type = try entryType(name, relativeTo: directory, display: display) else { return .missing }
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
        let directory = try openPersonaDirectory(slug)
        try writeAtomically(bytes, name: PersonaTree.identityFileName, in: directory, slug: slug)
    }

    func writeAtomically(_ bytes: [UInt8], name: String, in directory: FileDescriptor, slug: String) throws {
        let temp = TempFileName.make(pid: writerPID, counter: tempCounter.add(1, ordering: .relaxed).newValue)
        let display = displayPath(slug, temp)
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

    /// Keeps the current (regular) identity file's bytes as `newName` by a
    /// hard link (nothing copied, nothing followed), or by a copy where the
    /// file system has no hard links. An existing `newName` is never
    /// replaced (`EEXIST`).
    public func preserveIdentity(slug: String, as newName: String) throws {
        let directory = try openPersonaDirectory(slug)
        let display = displayPath(slug, newName)
        switch systemCall("linkat", display, {
            linkat(directory.rawValue, PersonaTree.identityFileName, directory.rawValue, newName, 0)
        }) {
        case .success:
            return
        case .failure(let error) where [EPERM, EXDEV, EOPNOTSUPP, EMLINK].contains(error.errno):
            try copyIdentity(in: directory, slug: slug, to: newName, display: display)
        case .failure(let error):
            throw error
        }
    }

    /// Copies the regular identity file to a new name (`O_EXCL`), streaming.
    func copyIdentity(in directory: FileDescriptor, slug: String, to newName: String, display: String) throws {
        let source = displayPath(slug, PersonaTree.identityFileName)
        let input = FileDescriptor(owning: try retryOnEINTR("openat", source) {
            openat(directory.rawValue, PersonaTree.identityFileName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        })
        guard EntryType(mode: try input.status(path: source).st_mode) == .regular else {
            throw RegistryError.noLongerRegularFile(source)
        }
        guard let output = try openNew(newName, in: directory, display: display) else {
            throw SystemError(errno: EEXIST, operation: "openat", path: display)
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { buffer in
                try retryOnEINTR("read", source) { read(input.rawValue, buffer.baseAddress, buffer.count) }
            }
            if count == 0 { return }
            try writeAll(Array(chunk[0..<count]), to: output, path: display)
        }
    }

    /// Creates `slug/name` with `bytes` only if nothing by that name exists:
    /// a seed file is never overwritten. `false` if it existed.
    @discardableResult
    public func createFileIfAbsent(_ name: String, bytes: [UInt8], slug: String) throws -> Bool {
        try createFileIfAbsent(name, bytes: bytes, in: openPersonaDirectory(slug), slug: slug)
    }

    /// The complete file is written under a temp name first and then hard-linked to
    /// `name` (`linkat` fails with `EEXIST` rather than replace anything), so a reader
    /// never sees half a seed file. Where the file system has no hard links, the file
    /// is created in place with `O_EXCL`.
    /// `inNewDirectory` skips the first look for `name` in a directory this process
    /// has just made (`linkat` still refuses to replace anything found there).
    func createFileIfAbsent(_ name: String, bytes: [UInt8], in directory: FileDescriptor, slug: String,
                            inNewDirectory: Bool = false) throws -> Bool {
        let display = displayPath(slug, name)
        if !inNewDirectory, try entryType(name, relativeTo: directory, display: display) != nil { return false }
        let temp = TempFileName.make(pid: writerPID, counter: tempCounter.add(1, ordering: .relaxed).newValue)
        let tempDisplay = displayPath(slug, temp)
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
    private func openNew(_ name: String, in directory: FileDescriptor, display: String) throws(SystemError) -> FileDescriptor? {
        switch systemCall("openat", display, {
            openat(directory.rawValue, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        }) {
        case .success(let fd): return FileDescriptor(owning: fd)
        case .failure(let error) where error.errno == EEXIST: return nil
        case .failure(let error): throw error
        }
    }

    func writeAll(_ bytes: [UInt8], to file: FileDescriptor, path: @autoclosure () -> String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = try bytes.withUnsafeBytes { buffer in
                try retryOnEINTR("write", path()) {
                    write(file.rawValue, buffer.baseAddress! + offset, buffer.count - offset)
                }
            }
            offset += written
        }
    }
}
