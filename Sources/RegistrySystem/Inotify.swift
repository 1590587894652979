import CSystemExtras
import Glibc

/// An inotify instance watching directories only, never through a symlink.
package final class Inotify {
    package let descriptor: FileDescriptor
    package var rawValue: Int32 { descriptor.rawValue }

    /// What the daemon wants to hear about a directory: entries appearing,
    /// disappearing, renamed, written or re-permissioned, and the directory
    /// itself going away.
    package static let directoryEvents: UInt32 = UInt32(bitPattern: IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO
        | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)
    /// Only a directory, never follow a symlink, no events for unlinked entries.
    package static let safetyFlags: UInt32 = UInt32(bitPattern: IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)

    package init() throws(SystemError) {
        let fd = try retryOnEINTR("inotify_init1", "") { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
        descriptor = FileDescriptor(owning: fd)
    }

    /// Adds (or refreshes) a watch on the directory at `path`; returns its
    /// watch descriptor. ENOTDIR/ELOOP mean the path is not a real directory
    /// (a file or symlink); ENOSPC means the user's watch limit is reached.
    package func addWatch(_ path: String) throws(SystemError) -> Int32 {
        try retryOnEINTR("inotify_add_watch", path) {
            inotify_add_watch(rawValue, path, Inotify.directoryEvents | Inotify.safetyFlags)
        }
    }

    /// What the daemon wants to hear about the tree's parent: an entry removed or moved
    /// away (the tree's own removal shows only here while the daemon holds the root open),
    /// and the parent itself going away.
    package static let parentEvents: UInt32 = UInt32(bitPattern: IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    /// Adds a watch on the tree's parent directory at `path` (followed if a symlink,
    /// as the tree's path is); returns its watch descriptor.
    package func addParentWatch(_ path: String) throws(SystemError) -> Int32 {
        try retryOnEINTR("inotify_add_watch", path) { inotify_add_watch(rawValue, path, Inotify.parentEvents) }
    }

    package func removeWatch(_ watch: Int32) {
        _ = inotify_rm_watch(rawValue, watch)
    }

    /// Every event queued now (the descriptor is non-blocking).
    package func readEvents() throws(SystemError) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = read(rawValue, buffer.baseAddress, capacity)
            if count > 0 {
                events += InotifyEvent.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                // A read takes every whole event that fits: with room left for the largest one,
                // the queue was empty, and asking again would only return EAGAIN (a system call
                // per step). What comes after this read makes the descriptor readable again.
                if capacity - count >= Self.largestEvent { return events }
                continue
            }
            if count == -1 {
                let failure = errno
                if failure == EINTR { continue }
                if failure == EAGAIN { return events }
                throw SystemError(errno: failure, operation: "read", path: "inotify")
            }
            return events
        }
    }

    /// The size of an event with the longest name (`NAME_MAX` and its terminating NUL).
    static let largestEvent = MemoryLayout<inotify_event>.size + Int(NAME_MAX) + 1

    /// The current per-user watch limit, for the "out of watches" message.
    package static var maximumUserWatches: Int? {
        let fd = open("/proc/sys/fs/inotify/max_user_watches", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = read(fd, &bytes, bytes.count)
        guard count > 0 else { return nil }
        return Int(String(decoding: bytes[0..<count], as: UTF8.self).trimmedWhitespace())
    }
}
