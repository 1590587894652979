import Glibc
import RegistrySystem

/// The cancel of a statement in progress, sent by a child process so that the caller
/// can exit at once: libpq 15's `PQcancel` connects with no timeout of its own (half a
/// minute when the server has become unreachable, by `tcp_user_timeout`). The child is
/// bounded by an alarm. `PQcancel` is async-signal-safe, so safe after `fork` too.
public enum DetachedCancel {
    /// Forks a child that asks the server to cancel `connection`'s statement in progress
    /// and exits (0 when the request was sent), killed by `SIGALRM` after `seconds`.
    /// Returns the child's pid.
    public static func send(on connection: PostgresConnection, within seconds: UInt32) throws(SystemError) -> Int32 {
        let child = fork()
        if child == 0 {
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            _ = Glibc.signal(SIGALRM, SIG_DFL)
            alarm(seconds)
            _exit(connection.cancel() == nil ? 0 : 1)
        }
        guard child > 0 else { throw SystemError(errno: errno, operation: "fork", path: "") }
        return child
    }
}
