import Glibc

/// The exclusive lock a daemon holds on its tree for as long as it runs:
/// `flock(LOCK_EX|LOCK_NB)` on `<tree>/.persona-registry.lock`. The kernel
/// releases it when the process exits, however it exits.
public final class TreeLock {
    public static let fileName = ".persona-registry.lock"

    let descriptor: FileDescriptor
    public let path: String

    /// Takes the lock in the tree whose root is open as `rootDescriptor`.
    /// Throws a `TreeLockError` naming the lock file when another process holds it.
    public init(rootDescriptor: Int32, treePath: String) throws {
        path = treePath.hasSuffix("/") ? treePath + TreeLock.fileName : treePath + "/" + TreeLock.fileName
        let fd: Int32
        do {
            fd = try retryOnEINTR("open", path) {
                openat(rootDescriptor, TreeLock.fileName, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
            }
        } catch {
            throw TreeLockError(path: path, reason: error.message)
        }
        descriptor = FileDescriptor(owning: fd)
        do {
            try retryOnEINTR("flock", path) { flock(fd, LOCK_EX | LOCK_NB) }
        } catch where error.errno == EWOULDBLOCK {
            throw TreeLockError(path: path, reason: "another persona-registry serve holds it"
                + (TreeLock.holder(fd).map { " (pid \($0))" } ?? ""))
        } catch {
            throw TreeLockError(path: path, reason: error.message)
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// The pid the holder wrote into the lock file, if readable.
    private static func holder(_ fd: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 24)
        let count = pread(fd, &bytes, bytes.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: bytes[0..<count], as: UTF8.self).trimmedWhitespace())
    }
}

/// The tree's lock could not be taken.
public struct TreeLockError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot lock the tree: \(path): \(reason)" }
}
