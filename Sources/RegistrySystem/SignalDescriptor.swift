import CSystemExtras
import Glibc

/// A signalfd for SIGTERM, SIGINT and SIGHUP. The signals are blocked for the
/// process so that they arrive only through this descriptor.
package final class SignalDescriptor {
    package let descriptor: FileDescriptor
    package var rawValue: Int32 { descriptor.rawValue }
    private var previousMask = sigset_t()

    package init(signals: [Signal] = [.terminate, .interrupt, .hangUp]) throws(SystemError) {
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in signals { sigaddset(&mask, signal.rawValue) }
        // An ignored signal is discarded even while blocked (nohup, some
        // supervisors): restore the default so it reaches the descriptor.
        for signal in signals { _ = Glibc.signal(signal.rawValue, SIG_DFL) }
        let status = pthread_sigmask(SIG_BLOCK, &mask, &previousMask)
        if status != 0 { throw SystemError(errno: status, operation: "pthread_sigmask", path: "") }
        let fd = try retryOnEINTR("signalfd", "") { signalfd(-1, &mask, Int32(SFD_NONBLOCK | SFD_CLOEXEC)) }
        descriptor = FileDescriptor(owning: fd)
    }

    deinit {
        _ = pthread_sigmask(SIG_SETMASK, &previousMask, nil)
    }

    /// The signals delivered since the last call, oldest first.
    package func pending() -> [Signal] {
        var signals: [Signal] = []
        var info = signalfd_siginfo()
        let size = MemoryLayout<signalfd_siginfo>.size
        while true {
            let count = read(rawValue, &info, size)
            if count == size {
                signals.append(Signal(rawValue: Int32(info.ssi_signo)))
            } else if count == -1, errno == EINTR {
                continue
            } else {
                return signals
            }
        }
    }
}
