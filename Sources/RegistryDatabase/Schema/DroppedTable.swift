import RegistryCore

/// A table a revert drops, with the rows it held: what `migrate down` refuses to lose
/// without `--drop-data`, and what `--dry-run` shows.
public struct DroppedTable: Sendable, Equatable, CustomStringConvertible {
    /// Schema-qualified and quoted as SQL needs it (`public.persona`).
    public var name: String
    public var rows: Int

    public var description: String { "\(name) (\(rows) \(rows == 1 ? "row" : "rows"))" }

    /// Runs `sql` (through `run`) under a savepoint and returns the tables it dropped: only the
    /// database knows what a migration's SQL drops (a DO block may decide). When it dropped
    /// none and `keepIfNoneDropped`, its work stands (`applied`: it need not run again);
    /// otherwise it is rolled back and each dropped table's rows are counted. Must be called
    /// inside a transaction.
    static func trial(of sql: String, keepIfNoneDropped: Bool, on connection: PostgresConnection,
                      run: (String) throws -> Void) throws -> (dropped: [DroppedTable], applied: Bool) {
        let tables = """
            SELECT c.oid::text, format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%'
            """
        var before: [String: String] = [:]
        for row in try connection.query(tables).rows { if let oid = row[0], let name = row[1] { before[oid] = name } }
        try connection.execute("SAVEPOINT persona_registry_trial")
        let after: Set<String>
        do {
            // The trial may drop what holds rows (the host layout's own check asks this setting);
            // local to the savepoint, so a revert that goes on for real asks again.
            try connection.query("SELECT set_config('persona_registry.drop_data', 'yes', true)")
            try run(sql)
            after = Set(try connection.query(tables).rows.compactMap { $0[0] })
        } catch {
            try? connection.execute("ROLLBACK TO SAVEPOINT persona_registry_trial")
            throw error
        }
        let gone = before.filter { !after.contains($0.key) }.values.sorted()
        if gone.isEmpty, keepIfNoneDropped {
            // Nothing dropped, so the setting changed nothing: the work stands, done once.
            try connection.execute("RELEASE SAVEPOINT persona_registry_trial")
            return ([], true)
        }
        try connection.execute("ROLLBACK TO SAVEPOINT persona_registry_trial")
        return (try gone.map { name in
            DroppedTable(name: name, rows: Int(try connection.query("SELECT count(*) FROM \(name)").scalar ?? "") ?? 0)
        }, false)
    }
}
