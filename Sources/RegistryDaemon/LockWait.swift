import Logging
import RegistrySystem
import RegistryTree

/// A daemon started while a `reconcile` holds the tree's lock waits for it to finish:
/// failing would have systemd restart it every `RestartSec=` and give up after
/// `StartLimitBurst=` restarts, for as long as a large reconcile runs. Another daemon
/// holding the lock is still an error (`TreeLockError`), as before.
enum LockWait {

    static func opening(signals: SignalDescriptor, notifier: SystemdNotifier, logger: Logger,
                        _ open: () throws -> WatchedTree) throws -> WatchedTree {
        var logged = false
        var conflicts = 0
        while true {
            do {
                let tree = try open()
                if logged { logger.log(.lockTaken, "the reconcile finished; the tree's lock is taken", ["lock": "\(tree.lockPath)"]) }
                return tree
            } catch let error as TreeLockError where !error.heldByReconcile && error.heldByAnother && conflicts < 3 {
                // A reconcile ending drops its mark a moment before its lock: looked at again
                // before another daemon is taken to hold it.
                conflicts += 1
                _ = try Poller.wait([signals.rawValue], timeoutMilliseconds: 100)
            } catch let error as TreeLockError where error.heldByReconcile {
                if !logged {
                    logger.log(.waitingForLock, "waiting for a reconcile to finish with the tree", ["lock": "\(error.path)", "holder": "\(error.reason)"])
                    logged = true
                }
                // systemd's start timeout is extended while the wait goes on: the start is not failing.
                notifier.send(["STATUS=waiting for a reconcile to release the tree's lock", "WATCHDOG=1", "EXTEND_TIMEOUT_USEC=10000000"])
                // A few times a second: a reconcile's lock goes when it exits, and nothing says when.
                if try Poller.wait([signals.rawValue], timeoutMilliseconds: 250)[0].readable,
                   signals.pending().contains(where: { $0 == .terminate || $0 == .interrupt }) {
                    logger.log(.stopped, "persona-registry serve stopped (it had not started serving)")
                    throw StoppedWhileWaiting()
                }
            }
        }
    }
}

/// SIGTERM or SIGINT came while waiting for a reconcile: the daemon ends without having served (exit 0).
public struct StoppedWhileWaiting: Error {}
