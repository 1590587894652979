import Glibc

/// An open file descriptor, closed exactly once when the last reference goes.
public final class FileDescriptor: Sendable {
    public let rawValue: Int32

    package init(owning rawValue: Int32) {
        self.rawValue = rawValue
    }

    deinit {
        // close(2) is not retried on EINTR: on Linux the descriptor is released either way.
        _ = Glibc.close(rawValue)
    }

    /// `fstat(2)` of the open file.
    package func status(path: String) throws(SystemError) -> stat {
        var info = stat()
        try retryOnEINTR("fstat", path) { fstat(rawValue, &info) }
        return info
    }

    /// Reads up to `limit` bytes, to the end of the file or the limit, whichever comes first.
    package func readAll(limit: Int, path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let count = try chunk.withUnsafeMutableBytes { buffer in
                try retryOnEINTR("read", path) { Glibc.read(rawValue, buffer.baseAddress, wanted) }
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Writes all of `bytes`, however many calls it takes.
    package func writeAll(_ bytes: [UInt8], path: @autoclosure () -> String) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                systemCall("write", path()) { Glibc.write(rawValue, buffer.baseAddress! + offset, buffer.count - offset) }
            }
            offset += try written.get()
        }
    }
}
