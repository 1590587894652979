import RegistryCore

/// One entry of a directory listing (never `.` or `..`), as `listEntries` reads
/// it: only a listing makes one, so it has no public initializer.
public struct DirectoryEntry: Sendable, Equatable {
    /// The name, decoded as UTF-8 (invalid bytes replaced: such a name is never a slug).
    public var name: String
    /// Whether the name's bytes were valid UTF-8.
    public var nameIsUTF8: Bool
    public var type: EntryType
}
