import Glibc

/// Which file an open descriptor or a name is (device and inode): two names, or a name
/// and a descriptor, are the same file when their identities are equal.
package struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// The file `path` names now, following links (`stat`); `nil` when it cannot be read.
    package init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The entry `name` in the directory open as `directory`, not followed if it is a link
    /// (`fstatat(AT_SYMLINK_NOFOLLOW)`); `nil` when it cannot be read.
    package init?(of name: String, in directory: Int32) {
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        self.init(info)
    }
}

extension FileDescriptor {
    /// The open file's identity (`fstat`); `nil` when it cannot be read.
    package var identity: FileIdentity? {
        var info = stat()
        guard fstat(rawValue, &info) == 0 else { return nil }
        return FileIdentity(info)
    }
}
