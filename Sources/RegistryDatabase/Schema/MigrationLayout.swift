import RegistryCore

/// Which layout's built-in migrations `migrate` runs on a database: the one its
/// version table records, else `headspace` when the host's own tables are there
/// (they are adopted), else the one asked for (`migrate up --layout`), `prd` by default.
public enum MigrationLayout {
    /// The layout of `connection`'s database as its records and tables show it, nil
    /// for a database with neither (any layout may be made there).
    public static func found(on connection: PostgresConnection) throws -> (layout: Layout, why: String)? {
        let host = Tables(layout: .headspace)
        let row = try connection.query("""
            SELECT to_regclass($1) IS NOT NULL AS tracked,
                   to_regclass($2) IS NOT NULL OR to_regclass($3) IS NOT NULL AS host_tables
            """, [Migrator.versionTable, host.role, host.persona]).namedRows.first
        if row?["tracked"] == "t" {
            let versions = Set(try connection.query("SELECT version FROM \(Migrator.versionTable)").rows.compactMap { $0.first ?? nil })
            let host = Set(try MigrationDirectory.builtIn(.headspace).map(\.version))
            if !versions.isDisjoint(with: host) { return (.headspace, "its migrations are the headspace layout's") }
            if !versions.isEmpty { return (.prd, "its migrations are the prd layout's") }
        }
        if row?["host_tables"] == "t" { return (.headspace, "it holds the host's tables roles and personas") }
        return nil
    }

    /// The layout to migrate; a `requested` layout the database does not have is refused.
    public static func choose(on connection: PostgresConnection, requested: Layout?) throws -> Layout {
        guard let found = try found(on: connection) else { return requested ?? .prd }
        if let requested, requested != found.layout {
            throw MigrationRefusal.layoutMismatch(requested: requested, found: found.layout, why: found.why)
        }
        return found.layout
    }
}
