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

    /// Fires once at the absolute monotonic time `deadline` (microseconds);
    /// `nil` disarms. A deadline in the past fires at once.
    package func arm(atMicroseconds deadline: UInt64?) throws(SystemError) {
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
        var expirations: UInt64 = 0
        _ = read(rawValue, &expirations, MemoryLayout<UInt64>.size)
    }
}
