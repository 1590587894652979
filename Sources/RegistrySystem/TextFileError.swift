import RegistryCore

/// What `TextFile.read` refuses of a trusted input read whole (a migration file, a template).
public enum TextFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A trusted input (a migration, a template) that is a FIFO, device or directory: not read.
    case notARegularFile(path: String, type: EntryType)
    case notUTF8(String)

    public var description: String {
        switch self {
        case .notARegularFile(let path, let type):
            "\(path) is a \(type.rawValue), not a regular file"
        case .notUTF8(let path):
            "\(path) is not valid UTF-8"
        }
    }
}
