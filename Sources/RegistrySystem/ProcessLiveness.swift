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
}
