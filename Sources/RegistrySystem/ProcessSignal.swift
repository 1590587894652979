import Glibc

/// Signals sent to another process (the daemon serving a tree).
package enum ProcessSignal {
    /// `kill(pid, signal)`; `ESRCH` (gone) and `EPERM` (another user's) are the caller's to explain.
    package static func send(_ signal: Signal, to pid: Int32) throws(SystemError) {
        guard pid > 0 else { throw SystemError(errno: .noSuchProcess, operation: "kill", path: "") }
        try retryOnEINTR("kill", "") { kill(pid, signal.rawValue) }
    }
}
