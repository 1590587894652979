import Glibc

// TEMPORARY: the same API as Tree/SystemError.swift on branch `tree` (the one
// EINTR retry helper of the project). Deleted when `tree` is merged.

public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var errno: Int32
    public var operation: String
    public var path: String

    public init(errno: Int32, operation: String, path: String) {
        self.errno = errno
        self.operation = operation
        self.path = path
    }

    public var message: String { String(cString: strerror(errno)) }

    public var description: String { "\(operation) \(path): \(message)" }
}

@discardableResult
func retryOnEINTR<T: BinaryInteger>(_ operation: String, _ path: String, _ call: () -> T) throws(SystemError) -> T {
    while true {
        let result = call()
        if result >= 0 { return result }
        let code = Glibc.errno
        if code == EINTR { continue }
        throw SystemError(errno: code, operation: operation, path: path)
    }
}
