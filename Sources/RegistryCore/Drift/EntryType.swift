/// What a directory entry is, never following a symbolic link.
public enum EntryType: String, Sendable, Equatable, Codable {
    case regular = "regular file"
    case directory
    case symlink = "symbolic link"
    case fifo = "FIFO"
    case socket
    case characterDevice = "character device"
    case blockDevice = "block device"
    case unknown
}
