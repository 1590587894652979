import Glibc
import RegistryCore

/// The entry types the kernel reports, read without following a symbolic link.
extension EntryType {
    /// From `d_type` of `readdir(3)`; `nil` for `DT_UNKNOWN` (ask `fstatat`).
    package init?(directoryEntryType type: UInt8) {
        switch Int(type) {
        case Int(DT_REG): self = .regular
        case Int(DT_DIR): self = .directory
        case Int(DT_LNK): self = .symlink
        case Int(DT_FIFO): self = .fifo
        case Int(DT_SOCK): self = .socket
        case Int(DT_CHR): self = .characterDevice
        case Int(DT_BLK): self = .blockDevice
        default: return nil
        }
    }

    /// From `st_mode` of `stat(2)`.
    package init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        default: self = .unknown
        }
    }
}

extension FileDescriptor {
    /// What `name` in this directory is (`fstatat(AT_SYMLINK_NOFOLLOW)`: a link is
    /// `.symlink`, never what it points to), `nil` when nothing has that name.
    package func entryType(of name: String, path: @autoclosure () -> String) throws(SystemError) -> EntryType? {
        var info = stat()
        switch systemCall("fstatat", path(), { fstatat(rawValue, name, &info, AT_SYMLINK_NOFOLLOW) }) {
        case .success: return EntryType(mode: info.st_mode)
        case .failure(let error) where error.errno == .noSuchFileOrDirectory: return nil
        case .failure(let error): throw error
        }
    }
}
