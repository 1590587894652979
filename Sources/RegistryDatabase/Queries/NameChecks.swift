import RegistryCore

/// The checks `role` and `persona` both make of a name and a description
/// (migrations 0001 and 0002, each constraint named after its table:
/// `role_name_not_blank`, `persona_name_not_blank`, ...), and what a
/// violation of each tells the operator.
enum NameChecks {
    /// Both tables' `char_length(description)` limit.
    static let descriptionLimit = 8000

    /// `explain` for the `prd` layout, whose constraints are named after `table` itself.
    static func explain(_ error: PostgresError, table: TableError.Table, name: String, nameLimit: Int) -> TableError? {
        explain(error, table: table, tableName: table.rawValue, name: name, nameLimit: nameLimit)
    }

    /// The refusal of `name` (or its description) by one of `table`'s checks, named
    /// `\(tableName)_...` and whose name limit is `nameLimit`; `nil` for any other error.
    static func explain(_ error: PostgresError, table: TableError.Table, tableName: String, name: String,
                        nameLimit: Int) -> TableError? {
        // The name column is NOT NULL; only a NULL name reaches it (the other columns are the queries' own).
        if error.code == .notNullViolation { return .blankName(table) }
        // The host's name columns are varchar(64): the type refuses a longer one before any check
        // (the other columns the queries write are text or the registry's own values).
        if error.code == .stringDataRightTruncation { return .nameTooLong(table, limit: nameLimit, length: name.unicodeScalars.count) }
        let prefix = tableName + "_"
        guard error.code == .checkViolation, let constraint = error.constraint, constraint.hasPrefix(prefix) else {
            return nil
        }
        switch constraint.dropFirst(prefix.count) {
        case "name_not_blank", "name_visible": return .blankName(table)
        case "name_no_control", "name_no_c1_control": return .controlCharacters(table)
        case "name_no_bidi_control": return .bidirectionalControls(table)
        case "name_without_invisible": return .invisibleCharacters(table)
        case "name_length": return .nameTooLong(table, limit: nameLimit, length: name.unicodeScalars.count)
        case "description_length": return .descriptionTooLong(table, limit: descriptionLimit)
        default: return nil
        }
    }
}
