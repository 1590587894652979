import RegistryCore

/// Applies and reverts migration files, each in its own transaction, under a
/// PostgreSQL advisory lock so that concurrent runs apply each file once.
/// Applied versions are recorded with the file's SHA-256 in the registry's own
/// table, which coexists with Alembic's `alembic_version` and dbmate's table.
public struct Migrator {
    public static let versionTable = "persona_registry_schema_migrations"
    /// The advisory lock key: "persreg" in ASCII.
    static let lockKey = "31373159785064039"

    let connection: PostgresConnection
    let files: [MigrationFile]
    let settings: MigrationSettings

    public init(connection: PostgresConnection, files: [MigrationFile], settings: MigrationSettings = MigrationSettings()) {
        self.connection = connection
        self.files = files
        self.settings = settings
    }

    /// Every version, from the files and from the database.
    public func status() throws -> [MigrationState] {
        try withLock { try states() }
    }

    /// The kept rows that break the layout's rules (`RuleBreaks`).
    public func ruleBreaks() throws -> [String] {
        try RuleBreaks.list(on: connection)
    }

    /// Applies every pending file in order and returns the applied ones.
    /// Refuses to run when an applied file was changed or is missing.
    @discardableResult
    public func up() throws -> [MigrationFile] {
        try withLock {
            let states = try states()
            try refuseDrift(in: states)
            let pending = Set(states.filter { $0.status == .pending }.map(\.version))
            var applied: [MigrationFile] = []
            for file in files where pending.contains(file.version) {
                try connection.transaction {
                    // Created in the first file's transaction: a failed first migration leaves nothing.
                    try ensureVersionTable()
                    try settings.apply(on: connection)
                    try run(file.up, of: file)
                    // On a subscriber, a trigger the file made again must still fire for replicated rows.
                    try ReplicaTriggers.keepFiringIfSubscribed(on: connection)
                    try connection.query(
                        "INSERT INTO \(Self.versionTable) (version, name, checksum) VALUES ($1, $2, $3)",
                        [file.version, file.name, try checksum(file)])
                }
                applied.append(file)
            }
            return applied
        }
    }

    /// Reverts the most recently applied file and returns it with the tables it dropped (nil
    /// when none is applied). A revert that would drop a table holding rows is refused
    /// (`MigrationRefusal.wouldDropRows`) unless the settings allow dropping data; with `dryRun`
    /// nothing is changed and the answer says what a revert would do. When no version remains,
    /// the version table is dropped too: no trace is left.
    @discardableResult
    public func down(dryRun: Bool = false) throws -> (file: MigrationFile, dropped: [DroppedTable])? {
        try withLock {
            let states = try states()
            try refuseDrift(in: states)
            guard let last = states.last(where: { $0.status == .applied }),
                  let file = files.first(where: { $0.version == last.version }) else {
                return nil
            }
            guard MigrationFile.hasStatements(file.down) else {
                throw MigrationError.irreversible(file.name)
            }
            do {
                return try connection.transaction {
                try settings.apply(on: connection)
                // Run once where it drops no table; a revert that drops one is tried, counted and
                // (unless refused) run again, so that its own checks see the operator's settings.
                let (dropped, applied) = try DroppedTable.trial(of: file.down, keepIfNoneDropped: !dryRun, on: connection) {
                    try run($0, of: file)
                }
                if dryRun { throw DryRunDone(dropped: dropped) }
                let holding = dropped.filter { $0.rows > 0 }
                if !holding.isEmpty, !settings.dropData {
                    throw MigrationRefusal.wouldDropRows(file: file.name, tables: holding)
                }
                if !applied { try run(file.down, of: file) }
                try ReplicaTriggers.keepFiringIfSubscribed(on: connection)
                try connection.query("DELETE FROM \(Self.versionTable) WHERE version = $1", [file.version])
                let remaining = try connection.query("SELECT count(*) FROM \(Self.versionTable)").scalar
                if remaining == "0" {
                    try connection.execute("DROP TABLE \(Self.versionTable)")
                }
                return (file, dropped)
                }
            } catch let done as DryRunDone {
                // Thrown inside the transaction so that it rolls back whatever the planning did.
                return (file, done.dropped)
            }
        }
    }

    private struct DryRunDone: Error {
        var dropped: [DroppedTable]
    }

    // MARK: - Internals

    /// One part of `file`; the host layout's refusal of existing rows becomes one line per row.
    private func run(_ sql: String, of file: MigrationFile) throws {
        do {
            try connection.execute(sql)
        } catch let error as PostgresError where error.constraint == MigrationRefusal.existingRowsConstraint {
            throw MigrationRefusal.existingRows(file: file.name, rows: Array(error.message.split(separator: "\n").dropFirst().map(String.init)))
        }
    }

    private func withLock<T>(_ body: () throws -> T) throws -> T {
        try connection.query("SELECT pg_advisory_lock($1::bigint)", [Self.lockKey])
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1::bigint)", [Self.lockKey]) }
        return try body()
    }

    private func ensureVersionTable() throws {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(Self.versionTable) (
                version    text PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }

    private func states() throws -> [MigrationState] {
        let exists = try connection.query("SELECT to_regclass($1) IS NOT NULL", [Self.versionTable]).scalar == "t"
        var recorded: [String: (checksum: String, appliedAt: String)] = [:]
        if exists {
            let rows = try connection.query("""
                SELECT version, checksum,
                       to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS applied_at
                FROM \(Self.versionTable)
                """).namedRows
            for row in rows {
                // The columns are NOT NULL: a row without them is not this table's.
                guard let version = row["version"], let checksum = row["checksum"], let appliedAt = row["applied_at"] else {
                    throw MigrationError.unexpectedRow("\(row.values)")
                }
                recorded[version] = (checksum, appliedAt)
            }
        }
        var states: [MigrationState] = []
        for file in files {
            if let record = recorded.removeValue(forKey: file.version) {
                let same = try checksum(file) == record.checksum
                states.append(MigrationState(version: file.version, name: file.name,
                                             status: same ? .applied : .modified, appliedAt: record.appliedAt))
            } else {
                states.append(MigrationState(version: file.version, name: file.name, status: .pending, appliedAt: nil))
            }
        }
        for (version, record) in recorded {
            states.append(MigrationState(version: version, name: nil, status: .missingFile, appliedAt: record.appliedAt))
        }
        return states.sorted { MigrationDirectory.inVersionOrder($0.version, $1.version) }
    }

    private func refuseDrift(in states: [MigrationState]) throws {
        if let modified = states.first(where: { $0.status == .modified }) {
            throw MigrationError.modified(modified.name ?? modified.version)
        }
        if let missing = states.first(where: { $0.status == .missingFile }) {
            throw MigrationError.missingFile(version: missing.version)
        }
    }

    private func checksum(_ file: MigrationFile) throws -> String {
        guard let value = try connection.query("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", [file.contents]).scalar else {
            throw MigrationError.checksumUnavailable(file.name)
        }
        return value
    }
}
