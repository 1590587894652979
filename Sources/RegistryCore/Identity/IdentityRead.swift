/// What reading a persona's identity file found, before parsing.
public enum IdentityRead: Sendable, Equatable {
    case missing
    /// Something other than a regular file is named `identity.yaml`; it was not opened.
    case notRegularFile(EntryType)
    /// Larger than `IdentityDecoder.sizeCap`; not read.
    case tooLarge(size: Int)
    /// The failed system call, described.
    case unreadable(String)
    case contents([UInt8])
}
