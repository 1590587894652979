import Glibc

/// An error number from a failed system call, in the style of swift-system's
/// `Errno`: an open set of values, the common ones named.
public struct Errno: Error, Sendable, Hashable, RawRepresentable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's current `errno`.
    public static var current: Errno { Errno(rawValue: errno) }

    public var description: String { String(cString: strerror(rawValue)) }

    public static let interrupted = Errno(rawValue: EINTR)
    public static let wouldBlock = Errno(rawValue: EWOULDBLOCK)
    public static let noSpace = Errno(rawValue: ENOSPC)
    public static let noEntry = Errno(rawValue: ENOENT)
    public static let notDirectory = Errno(rawValue: ENOTDIR)
    public static let tooManySymbolicLinks = Errno(rawValue: ELOOP)
    public static let exists = Errno(rawValue: EEXIST)
    public static let connectionRefused = Errno(rawValue: ECONNREFUSED)
}

/// A failed system call: which call, on what, and why.
public struct SystemCallError: Error, Sendable, CustomStringConvertible {
    public var call: String
    public var errno: Errno
    public init(_ call: String, _ errno: Errno) {
        self.call = call
        self.errno = errno
    }
    public var description: String { "\(call): \(errno)" }
}

/// Runs a system call returning -1 on failure, retrying it when a signal
/// interrupted it (EINTR). The one place in Daemon/ that retries.
@discardableResult
func retryingOnInterrupt<T: FixedWidthInteger>(_ call: String, _ body: () -> T) throws(SystemCallError) -> T {
    while true {
        let value = body()
        if value != -1 { return value }
        let failure = Errno.current
        if failure == .interrupted { continue }
        throw SystemCallError(call, failure)
    }
}
