import Glibc

/// CLOCK_MONOTONIC, the clock of timerfds and of systemd's `MONOTONIC_USEC`.
public enum MonotonicClock {
    /// Microseconds since an arbitrary start (boot).
    public static var microseconds: UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
