import Glibc

/// An open file descriptor, closed exactly once when the last reference goes.
public final class FileDescriptor: Sendable {
    public let rawValue: Int32

    init(owning rawValue: Int32) {
        self.rawValue = rawValue
    }

    deinit {
        // close(2) is not retried on EINTR: on Linux the descriptor is released either way.
        _ = Glibc.close(rawValue)
    }

    /// `fstat(2)` of the open file.
    func status(path: String) throws(SystemError) -> stat {
        var info = stat()
        try retryOnEINTR("fstat", path) { fstat(rawValue, &info) }
        return info
    }
}
