/// One entry of a directory listing (never `.` or `..`).
public struct DirectoryEntry: Sendable, Equatable {
    /// The name, decoded as UTF-8 (invalid bytes replaced: such a name is never a slug).
    public var name: String
    /// Whether the name's bytes were valid UTF-8.
    public var nameIsUTF8: Bool
    public var type: EntryType

    public init(name: String, nameIsUTF8: Bool, type: EntryType) {
        self.name = name
        self.nameIsUTF8 = nameIsUTF8
        self.type = type
    }
}
