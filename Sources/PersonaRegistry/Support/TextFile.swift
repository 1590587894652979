import Glibc

/// Whole-file reads for small trusted inputs (migrations, templates, config).
/// The tree's files go through Tree/, which never follows symlinks.
public enum TextFile {
    /// The file's contents as UTF-8 text; `maximumBytes` guards against a wrong path to a huge file.
    public static func read(_ path: String, maximumBytes: Int = 16 << 20) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(operation: "read", path: path, errno: errno)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maximumBytes {
                throw SystemCallError(operation: "read", path: path, errno: EFBIG)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SystemCallError(operation: "read", path: path, errno: EILSEQ, detail: "not valid UTF-8")
        }
        return text
    }

    /// The names in a directory (without `.` and `..`), unsorted.
    public static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw SystemCallError(operation: "opendir", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Whether `path` exists (following symlinks) and is a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}

/// A failed system call: which call, on which path, and why.
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String?
    public var errno: Int32
    public var detail: String?

    public init(operation: String, path: String? = nil, errno: Int32, detail: String? = nil) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.detail = detail
    }

    public var description: String {
        let reason = detail ?? String(cString: strerror(errno))
        if let path { return "\(path): \(operation) failed: \(reason)" }
        return "\(operation) failed: \(reason)"
    }
}
