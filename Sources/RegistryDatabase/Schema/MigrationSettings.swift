/// What an operator allows a migration run, handed to the migration files as
/// transaction-local settings (`persona_registry.*`) that their SQL reads; a file
/// run by other tools (dbmate) sees none and takes the safe choice.
public struct MigrationSettings: Sendable, Equatable {
    /// `--existing-rows keep`: rows that break a rule the headspace layout adds stay, and
    /// the rule holds for new and updated rows only.
    public var keepExistingRows: Bool
    /// `--drop-data`: a revert may drop tables although they hold rows (and the headspace
    /// layout's last revert the tables it made).
    public var dropData: Bool

    public init(keepExistingRows: Bool = false, dropData: Bool = false) {
        self.keepExistingRows = keepExistingRows
        self.dropData = dropData
    }

    func apply(on connection: PostgresConnection) throws {
        try connection.query("""
            SELECT set_config('persona_registry.existing_rows', $1, true), set_config('persona_registry.drop_data', $2, true)
            """, [keepExistingRows ? "keep" : "refuse", dropData ? "yes" : "no"])
    }
}
