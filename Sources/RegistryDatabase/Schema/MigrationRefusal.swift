import RegistryCore

/// What `migrate` refuses about a database's layout and rows; nothing was changed.
public enum MigrationRefusal: Error, Equatable, CustomStringConvertible, MultilineError {
    case layoutMismatch(requested: Layout, found: Layout, why: String)
    /// Existing rows break the rules `file` adds: one line each (table, id, rule).
    case existingRows(file: String, rows: [String])
    /// Reverting `file` would drop tables that hold rows.
    case wouldDropRows(file: String, tables: [DroppedTable])

    /// The constraint name the host layout's migration raises its row check with.
    static let existingRowsConstraint = "persona_registry_existing_rows"

    public var description: String { lines.joined(separator: "\n") }

    public var lines: [String] {
        switch self {
        case .layoutMismatch(let requested, let found, let why):
            return ["the database has the \(found) layout (\(why)): --layout \(requested) is refused; "
                + "run migrate up without --layout; nothing was changed"]
        case .wouldDropRows(let file, let tables):
            return ["reverting \(file) would drop \(tables.map(\.description).joined(separator: ", ")): refused; "
                + "--drop-data drops them with their rows, --dry-run shows what a revert drops; nothing was changed"]
        case .existingRows(let file, let rows):
            return ["\(file) cannot be applied: \(rows.count) existing \(rows.count == 1 ? "row breaks" : "rows break") its rules "
                + "(fix them and run it again, or keep them with migrate up --existing-rows keep; nothing was changed):"]
                + rows.map { "  " + $0 }
        }
    }
}
