import RegistryCore
/// The primary's side: the publication of `role` and `persona`.
public enum ReplicaPublisher {
    public enum Outcome: Equatable, Sendable {
        case created
        /// It existed; these tables were missing from it and were added.
        case completed(added: [String])
        case unchanged
    }

    /// Creates the registry's publication, or completes an existing one.
    /// Refuses, creating nothing, when `wal_level` is not `logical`.
    public static func publish(on connection: PostgresConnection) throws -> Outcome {
        let walLevel = try connection.query("SHOW wal_level").scalar ?? "unknown"
        guard walLevel == "logical" else {
            throw ReplicationError.walLevelNotLogical(walLevel)
        }
        let tables = try Replication.requireTables(on: connection, side: "publisher")
        let names = [tables.role, tables.persona]
        return try connection.transaction {
            let allTables = try connection.query("SELECT puballtables FROM pg_publication WHERE pubname = $1",
                                                 [Replication.publication]).scalar
            if allTables == "t" { return .unchanged }
            guard allTables != nil else {
                try connection.execute("CREATE PUBLICATION \(Replication.publication) FOR TABLE \(names.joined(separator: ", "))")
                return .created
            }
            let published = Set(try connection.query("""
                SELECT c.relname FROM pg_publication p
                JOIN pg_publication_rel r ON r.prpubid = p.oid
                JOIN pg_class c ON c.oid = r.prrelid
                WHERE p.pubname = $1 AND c.oid IN (to_regclass($2), to_regclass($3))
                """, [Replication.publication] + names).rows.compactMap { $0[0] })
            let missing = names.filter { !published.contains($0) }
            guard !missing.isEmpty else { return .unchanged }
            try connection.execute("ALTER PUBLICATION \(Replication.publication) ADD TABLE \(missing.joined(separator: ", "))")
            return .completed(added: missing)
        }
    }
}
