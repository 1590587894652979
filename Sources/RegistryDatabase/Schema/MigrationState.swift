/// The state of one migration version in one database.
public struct MigrationState: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Applied, and the file is unchanged since.
        case applied
        /// Not applied yet.
        case pending
        /// Applied, but the file's checksum differs from the recorded one.
        case modified
        /// Recorded as applied, but no file has this version.
        case missingFile = "missing-file"
    }

    public var version: String
    /// The file name, or nil when the file is missing.
    public var name: String?
    public var status: Status
    /// When it was applied (UTC), for applied, modified and missing-file states.
    public var appliedAt: String?
}
