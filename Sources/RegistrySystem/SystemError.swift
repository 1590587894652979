import Glibc
import RegistryCore

/// A failed system call: the `errno` it set, the operation and the path it
/// was given (relative to the tree root when the call was `*at`).
/// In the spirit of swift-system's `Errno`, with the context a log line needs.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var errno: Errno
    public var operation: String
    public var path: String

    // Written out: the tree and the daemon make these too (no public memberwise
    // initializer is synthesized).
    public init(errno: Errno, operation: String, path: String) {
        self.errno = errno
        self.operation = operation
        self.path = path
    }

    /// A raw code, as `errno` or a call's return value holds it.
    package init(errno code: Int32, operation: String, path: String) {
        self.init(errno: Errno(rawValue: code), operation: operation, path: path)
    }

    /// `strerror(errno)`, e.g. "No such file or directory".
    public var message: String { errno.message }

    /// `operation path: message`, or `operation: message` for a call on no path (`inotify_init1`).
    public var description: String { path.isEmpty ? "\(operation): \(message)" : "\(operation) \(path): \(message)" }
}

extension SystemError: KindedError {
    /// `strerror(errno)`: the same whichever file the call was given.
    public var kind: String { message }
}

/// Runs `call` until it does not fail with `EINTR`; the one place that retries.
/// Returns the call's result, or throws a `SystemError` with the `errno` it set.
@discardableResult
package func retryOnEINTR<T: BinaryInteger>(_ operation: String, _ path: @autoclosure () -> String,
                                     _ call: () -> T) throws(SystemError) -> T {
    while true {
        let result = call()
        if result >= 0 { return result }
        let code = Errno.current
        if code == .interrupted { continue }
        throw SystemError(errno: code, operation: operation, path: path())
    }
}

/// `retryOnEINTR` that hands back the failure instead of throwing it, for
/// callers that expect some `errno` values (`EEXIST`, `ENOENT`).
package func systemCall<T: BinaryInteger>(_ operation: String, _ path: @autoclosure () -> String,
                                  _ call: () -> T) -> Result<T, SystemError> {
    Result { () throws(SystemError) -> T in try retryOnEINTR(operation, path(), call) }
}
