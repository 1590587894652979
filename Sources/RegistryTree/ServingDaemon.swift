import Glibc
import RegistryCore
import RegistrySystem

/// The daemon serving a tree, as a command sees it: the holder of the tree's lock (the
/// kernel's table, which cannot go stale) and what its status file says, when that file
/// is the holder's own (one left by an earlier daemon is not).
public struct ServingDaemon: Sendable {
    /// `nil` when neither the kernel's table (hidden by `ProcSubset=pid`) nor the status file names it.
    public let pid: Int32?
    public let status: ServiceStatus?

    /// The daemon serving `tree`, `nil` when no process holds its lock.
    public static func find(_ tree: PersonaTree) throws -> ServingDaemon? {
        guard case .daemon(let holder) = TreeLock.holding(treePath: tree.path) else { return nil }
        // A status file that cannot be read (a FIFO or a directory planted there) is no status.
        let status = (try? ServiceFiles.read(ServiceFiles.status, in: tree)).flatMap { $0.flatMap { ServiceStatus(fileText: $0) } }
        let own = status.flatMap { holder == nil || $0.pid == holder ? $0 : nil }
        // The kernel's word names the process to signal: a status file can be stale, come from
        // another pid namespace or host (a tree on NFS), or be written by someone else. Where the
        // lock table names no holder (overlayfs), the file's pid is taken only if that process is
        // a `persona-registry serve` here.
        return ServingDaemon(pid: holder ?? own.flatMap { ProcessLiveness.isServe($0.pid) ? $0.pid : nil }, status: own)
    }

    /// The daemon `pid` (systemd's `$MAINPID`), whatever the lock table shows.
    public static func named(_ pid: Int32, in tree: PersonaTree) throws -> ServingDaemon {
        let status = (try? ServiceFiles.read(ServiceFiles.status, in: tree)).flatMap { $0.flatMap { ServiceStatus(fileText: $0) } }
        return ServingDaemon(pid: pid, status: status?.pid == pid ? status : nil)
    }

    /// Sends SIGHUP (the configuration read again, then a repairing sweep) and waits until
    /// the daemon's status says `done(status, asked)`, `asked` being the monotonic time just
    /// before the signal; at most `timeoutMilliseconds`. Returns the status that said so.
    /// SIGHUP to `pid`, without waiting (there is no tree to read its status in).
    public static func signal(_ pid: Int32) throws(ServingDaemonError) {
        do {
            try ProcessSignal.send(.hangUp, to: pid)
        } catch {
            throw .cannotSignal(pid: pid, error)
        }
    }

    /// `givesUp`: a reason to stop waiting at once (the sweep cannot come soon), else `nil`.
    public func signalAndWait(in tree: PersonaTree, timeoutMilliseconds: Int,
                              givesUp: (ServiceStatus) -> String? = { _ in nil },
                              until done: (ServiceStatus, UInt64) -> Bool) throws(ServingDaemonError) -> ServiceStatus {
        guard let pid else { throw .noPid }
        let asked = MonotonicClock.microseconds
        try Self.signal(pid)
        let deadline = asked + UInt64(max(0, timeoutMilliseconds)) * 1_000
        var last = status
        while true {
            if let text = try? ServiceFiles.read(ServiceFiles.status, in: tree), let fresh = ServiceStatus(fileText: text),
               fresh.pid == pid {
                last = fresh
                if done(fresh, asked) { return fresh }
                if fresh.reloadedMicroseconds.map({ $0 >= asked }) == true, let reason = givesUp(fresh) {
                    throw .gaveUp(pid: pid, reason)
                }
            }
            if ProcessLiveness.isGone(pid) || last?.phase == .stopping { throw .stopped(pid: pid) }
            guard MonotonicClock.microseconds < deadline else { throw .timedOut(pid: pid, seconds: timeoutMilliseconds / 1_000, last: last) }
            usleep(50_000)
        }
    }
}

/// Why a serving daemon could not be asked, or did not answer.
public enum ServingDaemonError: Error, CustomStringConvertible {
    case noPid
    case cannotSignal(pid: Int32, SystemError)
    case stopped(pid: Int32)
    case timedOut(pid: Int32, seconds: Int, last: ServiceStatus?)
    case gaveUp(pid: Int32, String)

    public var description: String {
        switch self {
        case .noPid:
            return "a daemon serves the tree, but the kernel's lock table names no pid for it (another pid namespace, "
                + "or /proc/locks hidden); ask it with `systemctl reload persona-registry` or `persona-registry reload --pid PID`"
        case .gaveUp(let pid, let reason):
            return "the daemon (pid \(pid)) read the request but cannot sweep now: \(reason)"
        case .cannotSignal(let pid, let error) where error.errno == .notPermitted:
            return "cannot signal the daemon (pid \(pid)): it runs as another user; run this as root or as that user "
                + "(`systemctl reload persona-registry` asks it the same)"
        case .cannotSignal(let pid, let error):
            return "cannot signal the daemon (pid \(pid)): \(error.message)"
        case .stopped(let pid):
            return "the daemon (pid \(pid)) stopped before it answered"
        case .timedOut(let pid, let seconds, let last):
            let state = last.map { "its state: \($0.phase.rawValue)" + ($0.lastError.map { ", last error: \($0)" } ?? "") }
                ?? "it has written no status file"
            return "the daemon (pid \(pid)) did not finish a repairing sweep within \(seconds) s (\(state))"
        }
    }
}
