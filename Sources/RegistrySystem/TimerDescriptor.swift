import CSystemExtras
import Glibc

/// A one-shot CLOCK_MONOTONIC timerfd: armed for one deadline at a time,
/// readable once it has passed.
package final class TimerDescriptor {
    package let descriptor: FileDescriptor
    package var rawValue: Int32 { descriptor.rawValue }

    package init() throws(SystemError) {
        let fd = try retryOnEINTR("timerfd_create", "") {
            timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK | TFD_CLOEXEC))
        }
        descriptor = FileDescriptor(owning: fd)
    }

    /// The deadline armed last (`nil`: disarmed), and whether it has fired since.
    private var armed: UInt64?
    private var fired = false

    /// Fires once at the absolute monotonic time `deadline` (microseconds);
    /// `nil` disarms. A deadline in the past fires at once. Arming the deadline
    /// already armed, and not yet fired, is no system call: the loop asks at every
    /// turn, and a notification rarely moves it.
    package func arm(atMicroseconds deadline: UInt64?) throws(SystemError) {
        if deadline == armed, !fired, deadline != nil { return }
        armed = deadline
        fired = false
        var spec = itimerspec()
        if let deadline {
            let effective = max(deadline, 1)
            spec.it_value.tv_sec = Int(effective / 1_000_000)
            spec.it_value.tv_nsec = Int(effective % 1_000_000) * 1_000
        }
        try retryOnEINTR("timerfd_settime", "") {
            timerfd_settime(rawValue, Int32(TFD_TIMER_ABSTIME), &spec, nil)
        }
    }

    /// Consumes the expiration count so the descriptor stops being readable.
    package func acknowledge() {
        fired = true
        var expirations: UInt64 = 0
        _ = read(rawValue, &expirations, MemoryLayout<UInt64>.size)
    }
}
