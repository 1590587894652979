import Glibc

/// A file as it is now: which file (`FileIdentity`) and when its inode last changed
/// (`st_ctim`). A directory's change time moves whenever an entry is added to it, removed
/// or renamed, and no one can set it back: two equal stamps are the same file, unchanged
/// in between, to the resolution of the time: before Linux 6.13 (multigrain timestamps) a
/// change is stamped with the clock's current tick (a few milliseconds), so one made within
/// the tick of the stamp goes unseen. An edit of a file in a directory moves only the file's
/// own time, never the directory's.
package struct FileStamp: Equatable, Sendable {
    let identity: FileIdentity
    let changedSeconds: Int
    let changedNanoseconds: Int

    init(_ info: stat) {
        identity = FileIdentity(info)
        changedSeconds = info.st_ctim.tv_sec
        changedNanoseconds = info.st_ctim.tv_nsec
    }

    /// The entry `name` in the directory open as `directory`, not followed if it is a link
    /// (`fstatat(AT_SYMLINK_NOFOLLOW)`); `nil` when it cannot be read.
    package init?(of name: String, in directory: Int32) {
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        self.init(info)
    }

    /// The file open as `descriptor` (`fstat`); `nil` when it cannot be read.
    package init?(_ descriptor: FileDescriptor) {
        var info = stat()
        guard fstat(descriptor.rawValue, &info) == 0 else { return nil }
        self.init(info)
    }
}
