/// The one error for a database that was never migrated: PostgreSQL's
/// `relation "role" does not exist` does not say what to do.
public enum MissingSchema {
    public static let message = "the database has no persona-registry schema (no role or persona table): "
        + "run `persona-registry migrate up` first"

    /// `error`, or the missing-schema error when it is PostgreSQL's for an absent `role` or `persona` table.
    public static func explain(_ error: Error) -> Error {
        guard let error = error as? PostgresError, error.code == .undefinedTable,
              error.message.contains("\"role\"") || error.message.contains("\"persona\"") else { return error }
        return RegistryError(message)
    }
}
