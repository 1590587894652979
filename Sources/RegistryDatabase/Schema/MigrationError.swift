/// What `migrate` refuses about the migration files, then about the files against what the
/// database recorded, as a closed set that callers can switch on; `description` is the one
/// line an operator reads. (What it refuses about a database's layout and rows is a
/// `MigrationRefusal`.)
public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A migration file that is not one (its name, its `-- migrate:` sections); why.
    case malformed(file: String, why: String)
    /// Two migration files of one version.
    case duplicateVersion(String, String)
    /// The last applied migration has no `-- migrate:down` statements.
    case irreversible(String)
    /// An applied migration's file was changed since (its checksum differs from the recorded one).
    case modified(String)
    /// A version recorded as applied that no migration file has.
    case missingFile(version: String)
    /// The server returned no checksum for a migration file (it computes them: `sha256`).
    case checksumUnavailable(String)
    /// A row of the recorded migrations the migrator cannot read.
    case unexpectedRow(String)

    public var description: String {
        switch self {
        case .malformed(let file, let why): "\(file): \(why)"
        case .duplicateVersion(let first, let second): "\(first) and \(second) have the same version"
        case .irreversible(let file): "\(file) has no `-- migrate:down` statements: it cannot be reverted"
        case .modified(let file):
            "\(file) was changed after it was applied (its checksum differs from the recorded one); "
                + "restore the file and put schema changes in a new migration"
        case .missingFile(let version):
            "version \(version) is recorded as applied but no migration file has it (wrong --migrations-dir?)"
        case .checksumUnavailable(let file): "cannot compute the checksum of \(file)"
        case .unexpectedRow(let row): "unexpected row in the recorded migrations: \(row)"
        }
    }
}
