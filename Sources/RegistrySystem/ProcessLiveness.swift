import Glibc

/// Whether the process that wrote a leftover (a temp file, a staging directory) is gone.
package enum ProcessLiveness {
    /// `kill(pid, 0)` fails with `ESRCH`: no such process. Any other answer (alive, or
    /// `EPERM`: alive under another user) means it may still be writing.
    package static func isGone(_ pid: Int32) -> Bool {
        kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Whether `pid` is a `persona-registry serve` (its `/proc/<pid>/cmdline`): what a pid a
    /// status file names must be before it is signalled, where the kernel's lock table cannot
    /// name the lock's holder (on overlayfs its entry names another device).
    package static func isServe(_ pid: Int32) -> Bool {
        guard pid > 0, let text = try? TextFile.read("/proc/\(pid)/cmdline", maximumBytes: 64 << 10) else { return false }
        let arguments = text.split(separator: "\0", omittingEmptySubsequences: false)
        guard let program = arguments.first?.split(separator: "/").last, program == "persona-registry" else { return false }
        return arguments.dropFirst().contains("serve")
    }

    /// Whether `pid` is a `persona-registry serve` that holds the file `lock` open: the only
    /// pid a command signals. A pid from the kernel's lock table may be a `reconcile` (whose
    /// mark is not set at that moment, or not kept by the file system); one from a status file
    /// may be stale, written in another pid namespace, or by someone else. A process whose
    /// descriptors cannot be read (another user's, without root) could not be signalled anyway.
    package static func isServe(_ pid: Int32, holding lock: FileIdentity) -> Bool {
        guard isServe(pid), let directory = opendir("/proc/\(pid)/fd") else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.first?.isNumber == true else { continue }
            if FileIdentity(path: "/proc/\(pid)/fd/" + name) == lock { return true }
        }
        return false
    }
}
