import RegistryCore
/// The registry's notify triggers on a subscriber. The apply worker runs with
/// `session_replication_role = replica`, so ordinary triggers stay silent for
/// replicated rows; `ENABLE ALWAYS` makes the notify triggers fire for them
/// too, and the host's daemon hears of every change as on the primary. The
/// slug trigger stays as it is: the slug comes from the publisher.
enum ReplicaTriggers {
    /// Sets every notify trigger on the tables of either layout to fire always.
    static func fireForReplicatedRows(on connection: PostgresConnection) throws {
        try alter(on: connection, to: "ENABLE ALWAYS", where: "t.tgenabled <> 'A'")
    }

    /// Puts them back to firing for local changes only (the default).
    static func fireForLocalRowsOnly(on connection: PostgresConnection) throws {
        try alter(on: connection, to: "ENABLE", where: "t.tgenabled = 'A'")
    }

    /// After a migration on a subscriber: a trigger it dropped and made again
    /// is back to the default, so it is set to fire always again.
    static func keepFiringIfSubscribed(on connection: PostgresConnection) throws {
        guard try !ReplicaSubscriber.subscriptions(on: connection).isEmpty else { return }
        try fireForReplicatedRows(on: connection)
    }

    private static func alter(on connection: PostgresConnection, to setting: String, where condition: String) throws {
        // Both layouts' tables: after a migration the layout may not be detectable yet.
        let tables = Layout.allCases.map { Tables(layout: $0) }.flatMap { [$0.role, $0.persona] }
        let statements = try connection.query("""
            SELECT format('ALTER TABLE %s \(setting) TRIGGER %I', t.tgrelid::regclass, t.tgname)
            FROM pg_trigger t
            WHERE t.tgrelid IN (SELECT to_regclass(name) FROM unnest($2::text[]) AS name) AND NOT t.tgisinternal
              AND t.tgname LIKE $1 AND \(condition)
            ORDER BY 1
            """, [Replication.notifyTriggerPattern, "{" + tables.joined(separator: ",") + "}"]).rows.compactMap { $0[0] }
        for statement in statements { try connection.execute(statement) }
    }
}
