import Glibc

/// Waits, at most a second, until the clock the kernel stamps change times with has passed the
/// change time of `path`, so that a change made next moves it on any kernel: before Linux 6.13
/// (multigrain timestamps) a change is stamped with the current clock tick, a few milliseconds
/// long, and one made within the tick of the last would leave the time as it was. Tests of a
/// check by change time (`FileStamp`) make the change they expect it to see after this.
/// `false` if the clock did not pass it in time.
public func waitForChangeTimeToPass(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else { return false }
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    while true {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &now)
        if (now.tv_sec, now.tv_nsec) > (info.st_ctim.tv_sec, info.st_ctim.tv_nsec) { return true }
        var elapsed = timespec()
        clock_gettime(CLOCK_MONOTONIC, &elapsed)
        if elapsed.tv_sec - start.tv_sec > 1 { return false }
        usleep(200)
    }
}
