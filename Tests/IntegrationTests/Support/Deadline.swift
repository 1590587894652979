import Foundation

/// Waits for a condition, checking it every few milliseconds, until a deadline.
/// Returns whether it became true; never a fixed sleep. The default deadline
/// is generous (it costs nothing when the condition comes true): CI is a
/// shared 2-core machine running daemons, 10,000-row batches and pg_ctl
/// restarts side by side.
@discardableResult
func waitUntil(timeout seconds: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        usleep(5_000)
    }
}
