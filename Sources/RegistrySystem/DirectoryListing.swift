import Glibc
import RegistryCore

/// Streams the entries of an open directory with `fdopendir(3)` on a
/// duplicate of its descriptor: memory stays constant however many entries
/// there are. `d_type` is trusted; `DT_UNKNOWN` is resolved with
/// `fstatat(AT_SYMLINK_NOFOLLOW)`.
package func listEntries(of directory: FileDescriptor, path: String,
                  _ body: (DirectoryEntry) throws -> Void) throws {
    let duplicate = try retryOnEINTR("dup", path) { fcntl(directory.rawValue, F_DUPFD_CLOEXEC, 0) }
    guard let stream = fdopendir(duplicate) else {
        let code = errno
        _ = close(duplicate)
        throw SystemError(errno: code, operation: "fdopendir", path: path)
    }
    defer { closedir(stream) }
    rewinddir(stream)
    while true {
        errno = 0
        guard let pointer = readdir(stream) else {
            if errno != 0 { throw SystemError(errno: errno, operation: "readdir", path: path) }
            return
        }
        let entry = try withUnsafePointer(to: &pointer.pointee.d_name) { tuple in
            try tuple.withMemoryRebound(to: CChar.self, capacity: 256) { cName -> DirectoryEntry? in
                let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(cName).assumingMemoryBound(to: UInt8.self),
                                                count: strlen(cName))
                if bytes.elementsEqual([UInt8(ascii: ".")]) || bytes.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                    return nil
                }
                let valid = String(validating: bytes, as: UTF8.self)
                let name = valid ?? String(decoding: bytes, as: UTF8.self)
                let type: EntryType
                if let known = EntryType(directoryEntryType: pointer.pointee.d_type) {
                    type = known
                } else {
                    var info = stat()
                    switch systemCall("fstatat", path + "/" + name, {
                        fstatat(directory.rawValue, cName, &info, AT_SYMLINK_NOFOLLOW)
                    }) {
                    case .success: break
                    case .failure(let error) where error.errno == .noSuchFileOrDirectory: return nil  // removed while we were listing
                    case .failure(let error): throw error
                    }
                    type = EntryType(mode: info.st_mode)
                }
                return DirectoryEntry(name: name, nameIsUTF8: valid != nil, type: type)
            }
        }
        if let entry { try body(entry) }
    }
}
