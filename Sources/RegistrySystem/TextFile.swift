import Glibc
import RegistryCore

/// Whole-file reads for small trusted inputs (migrations, templates, config).
/// The tree's files go through RegistryTree, which never follows symlinks.
public enum TextFile {
    /// The file's contents as UTF-8 text; `maximumBytes` guards against a wrong path to a huge file.
    /// Only a regular file is read: a FIFO (opened without blocking) or a device is refused, so a
    /// `migrations/x.sql` that is a FIFO cannot hang the command.
    public static func read(_ path: String, maximumBytes: Int = 16 << 20) throws -> String {
        let file = FileDescriptor(owning: try retryOnEINTR("open", path) { open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) })
        let type = EntryType(mode: try file.status(path: path).st_mode)
        guard type == .regular else { throw TextFileError.notARegularFile(path: path, type: type) }
        let bytes = try file.readAll(limit: maximumBytes + 1, path: path)
        guard bytes.count <= maximumBytes else { throw SystemError(errno: .fileTooLarge, operation: "read", path: path) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TextFileError.notUTF8(path)
        }
        return text
    }

    /// Replaces the file at `path` atomically: written whole as `<path>.tmp` (whatever had that
    /// name is unlinked first, never written through), then renamed over `path` in the same
    /// directory, so a reader (node_exporter's textfile collector) sees the old file or the new.
    public static func replace(_ path: String, with text: String) throws {
        // Readable by every user (node_exporter's), whatever the umask (the unit's is 0027).
        try AtomicReplace.replace(path, in: AT_FDCWD, temp: path + ".tmp", bytes: Array(text.utf8),
                                  clearingTemp: true, mode: 0o644, display: path + ".tmp")
    }

    /// The names in a directory (without `.` and `..`), unsorted, read by `listEntries`.
    public static func list(_ path: String) throws -> [String] {
        let directory = FileDescriptor(owning: try retryOnEINTR("opendir", path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) })
        var names: [String] = []
        try listEntries(of: directory, path: path) { names.append($0.name) }
        return names
    }

    /// Whether `path` exists (following symlinks) and is a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
