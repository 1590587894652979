import Foundation

/// Waits for a condition, checking it every few milliseconds, until a deadline.
/// Returns whether it became true; never a fixed sleep.
@discardableResult
func waitUntil(timeout seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        usleep(5_000)
    }
}
