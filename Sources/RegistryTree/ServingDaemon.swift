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
    /// `pid` is a `persona-registry serve` holding this tree's lock file open, or the one systemd
    /// named: only then is it signalled. The lock table's pid may be a `reconcile` whose mark is
    /// not set at that moment (or not kept by the file system), or a tool's (`flock(1)`).
    public let confirmed: Bool

    /// The daemon serving `tree`, `nil` when no process holds its lock.
    public static func find(_ tree: PersonaTree) throws -> ServingDaemon? {
        guard case .daemon(let holder) = TreeLock.holding(treePath: tree.path) else { return nil }
        let status = ServiceFiles.status(in: tree)
        let own = status.flatMap { holder == nil || $0.pid == holder ? $0 : nil }
        // A status file can be stale, come from another pid namespace or host (a tree on NFS),
        // or be written by someone else: its pid is taken only where the lock table names none
        // (overlayfs, another pid namespace), and only once confirmed.
        let lock = FileIdentity(path: tree.path + "/" + TreeLock.fileName)
        let confirm = { (pid: Int32) in lock.map { ProcessLiveness.isServe(pid, holding: $0) } == true }
        let pid = holder ?? own.flatMap { confirm($0.pid) ? $0.pid : nil }
        return ServingDaemon(pid: pid, status: own, confirmed: pid.map(confirm) ?? false)
    }

    /// The daemon `pid` (systemd's `$MAINPID`), whatever the lock table shows.
    public static func named(_ pid: Int32, in tree: PersonaTree) throws -> ServingDaemon {
        let status = ServiceFiles.status(in: tree)
        return ServingDaemon(pid: pid, status: status?.pid == pid ? status : nil, confirmed: true)
    }

    /// SIGHUP to `pid`, without waiting (there is no tree to read its status in).
    public static func signal(_ pid: Int32) throws(ServingDaemonError) {
        do {
            try ProcessSignal.send(.hangUp, to: pid)
        } catch {
            throw .cannotSignal(pid: pid, error)
        }
    }

    /// Sends SIGHUP (the configuration read again, then a repairing sweep) and waits until
    /// the daemon's status says `done(status, asked)`, `asked` being the monotonic time just
    /// before the signal; at most `timeoutMilliseconds`. Returns the status that said so.
    /// `givesUp`: a reason to stop waiting at once (the sweep cannot come soon), else `nil`.
    public func signalAndWait(in tree: PersonaTree, timeoutMilliseconds: Int,
                              givesUp: (ServiceStatus) -> String? = { _ in nil },
                              until done: (ServiceStatus, UInt64) -> Bool) throws(ServingDaemonError) -> ServiceStatus {
        guard let pid else { throw .noPid }
        guard confirmed else { throw .notConfirmed(pid: pid) }
        let asked = MonotonicClock.microseconds
        try Self.signal(pid)
        let deadline = asked + UInt64(max(0, timeoutMilliseconds)) * 1_000
        var last = status
        while true {
            if let fresh = ServiceFiles.status(in: tree), fresh.pid == pid {
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
    case notConfirmed(pid: Int32)
    case cannotSignal(pid: Int32, SystemError)
    case stopped(pid: Int32)
    case timedOut(pid: Int32, seconds: Int, last: ServiceStatus?)
    case gaveUp(pid: Int32, String)

    public var description: String {
        switch self {
        case .noPid:
            return "a daemon serves the tree, but no pid of it can be confirmed (the kernel's lock table names none, or the "
                + "process named is not a persona-registry serve holding this tree's lock: another pid namespace, /proc hidden, "
                + "or another user's); ask it with `systemctl reload persona-registry` or `persona-registry reload --pid PID`"
        case .notConfirmed(let pid):
            return "the tree's lock is held by pid \(pid), which is not a persona-registry serve holding this tree's lock "
                + "(a reconcile starting or ending, or another tool): it was not signalled"
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
