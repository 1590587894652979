import Glibc

/// Whether the process that wrote a leftover (a temp file, a staging directory) is gone.
package enum ProcessLiveness {
    /// `kill(pid, 0)` fails with `ESRCH`: no such process. Any other answer (alive, or
    /// `EPERM`: alive under another user) means it may still be writing.
    package static func isGone(_ pid: Int32) -> Bool {
        kill(pid, 0) != 0 && errno == ESRCH
    }
}
