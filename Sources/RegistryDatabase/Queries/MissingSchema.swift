import RegistryCore

/// The one error for a database that was never migrated: PostgreSQL's
/// `relation "role" does not exist` alone does not say what to do.
public enum MissingSchema {
    /// `error`, or the missing-schema error when it is PostgreSQL's for an absent `role` or `persona` table.
    public static func explain(_ error: Error) -> Error {
        guard let error = error as? PostgresError, error.code == .undefinedTable,
              error.message.contains("\"role\"") || error.message.contains("\"persona\"") else { return error }
        return TableError.schemaMissing(error.message)
    }
}
