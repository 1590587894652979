import RegistryCore
import Glibc

/// A host's side: a subscription of its local database to the primary's
/// publication, and what it means for writes.
public enum ReplicaSubscriber {
    /// A subscription of this database to the registry's publication.
    public struct Subscription: Sendable, Equatable {
        public var name: String
        /// The publisher's conninfo with any password hidden, as recorded by
        /// `subscribe` (nil for a subscription made by other means).
        public var publisher: String?
    }

    /// What `subscribe` did.
    public struct Subscribed: Sendable, Equatable {
        public var name: String
        public var publisher: String
        /// False when the subscription already existed.
        public var created: Bool
        public var roles: Int
        public var personas: Int
    }

    /// The subscriptions of this database to the registry's publication, by name.
    public static func subscriptions(on connection: PostgresConnection) throws -> [Subscription] {
        try connection.query("""
            SELECT s.subname, obj_description(s.oid, 'pg_subscription')
            FROM pg_subscription s
            WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND $1 = ANY (s.subpublications)
            ORDER BY s.subname
            """, [Replication.publication]).rows.map { Subscription(name: $0[0] ?? "", publisher: $0[1]) }
    }

    /// Refuses a write through the CLI on a subscriber: its rows come from the
    /// publisher, and a local change would be overwritten or break the stream.
    public static func refuseWrites(on connection: PostgresConnection) throws {
        guard let subscription = try subscriptions(on: connection).first else { return }
        throw ReplicationError.writeOnReplica(publisher: subscription.publisher, subscription: subscription.name)
    }

    /// Subscribes this database (migrated, with empty tables) to the
    /// publisher's `persona_registry` publication, sets the notify triggers to
    /// fire for replicated rows and waits up to `timeout` seconds for the
    /// initial copy. Already subscribed under `name`: reports it unchanged.
    public static func subscribe(publisher: String, name: String, timeout: Int,
                                 on connection: PostgresConnection) throws -> Subscribed {
        try Replication.validateSubscriptionName(name)
        let tables = try Replication.requireTables(on: connection, side: "subscriber")
        let shown = ConnectionString.redacted(publisher)
        if let existing = try subscriptions(on: connection).first(where: { $0.name == name }) {
            try ReplicaTriggers.fireForReplicatedRows(on: connection)
            let counts = try waitForInitialCopy(name: name, timeout: timeout, on: connection)
            return Subscribed(name: name, publisher: existing.publisher ?? shown, created: false,
                              roles: counts.roles, personas: counts.personas)
        }
        if try connection.query("SELECT 1 FROM pg_subscription WHERE subname = $1", [name]).rows.count > 0 {
            throw ReplicationError.subscriptionNameTaken(name)
        }
        let holdsRows = try connection.query(
            "SELECT EXISTS (SELECT 1 FROM \(tables.role)) OR EXISTS (SELECT 1 FROM \(tables.persona))").scalar == "t"
        guard !holdsRows else {
            throw ReplicationError.subscriberNotEmpty
        }
        try connection.transaction { try ReplicaTriggers.fireForReplicatedRows(on: connection) }
        do {
            // Not in a transaction: creating the slot on the publisher cannot be.
            let create = try connection.query(
                "SELECT format('CREATE SUBSCRIPTION %I CONNECTION %L PUBLICATION %I', $1::text, $2::text, $3::text)",
                [name, publisher, Replication.publication]).scalar ?? ""
            try connection.execute(create)
        } catch {
            try? connection.transaction { try ReplicaTriggers.fireForLocalRowsOnly(on: connection) }
            if let error = error as? PostgresError {
                throw ReplicationError.subscribeRefused(publisher: shown, reason: error.message)
            }
            throw error
        }
        let comment = try connection.query("SELECT format('COMMENT ON SUBSCRIPTION %I IS %L', $1::text, $2::text)",
                                           [name, shown]).scalar ?? ""
        try connection.execute(comment)
        let counts = try waitForInitialCopy(name: name, timeout: timeout, on: connection)
        return Subscribed(name: name, publisher: shown, created: true, roles: counts.roles, personas: counts.personas)
    }

    /// Waits until both tables' initial copy is done (state ready or synchronised).
    static func waitForInitialCopy(name: String, timeout: Int,
                                   on connection: PostgresConnection) throws -> (roles: Int, personas: Int) {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let end = deadline.tv_sec + timeout
        while true {
            let row = try connection.query("""
                SELECT count(*) FILTER (WHERE r.srsubstate IN ('r', 's')), count(*)
                FROM pg_subscription s JOIN pg_subscription_rel r ON r.srsubid = s.oid
                WHERE s.subname = $1
                """, [name]).rows.first
            if let row, row[0] == "2", row[1] == "2" { break }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            guard now.tv_sec < end else {
                throw ReplicationError.initialCopyUnfinished(subscription: name, seconds: timeout)
            }
            var pause = timespec(tv_sec: 0, tv_nsec: 100_000_000)
            _ = nanosleep(&pause, nil)
        }
        let tables = try Tables.detect(on: connection)
        let counts = try connection.query("SELECT (SELECT count(*) FROM \(tables.role)), (SELECT count(*) FROM \(tables.persona))").rows[0]
        return (Int(counts[0] ?? "") ?? 0, Int(counts[1] ?? "") ?? 0)
    }

    /// Drops the subscription (`name`, or the only one) and its slot on the
    /// publisher, then puts the notify triggers back to firing for local rows
    /// only and moves the id sequences past the copied rows. With `forgetSlot` the slot is left on an unreachable publisher
    /// (drop it there with `pg_drop_replication_slot`). Returns its name.
    public static func unsubscribe(name: String?, forgetSlot: Bool, on connection: PostgresConnection) throws -> String {
        let all = try subscriptions(on: connection)
        let chosen: Subscription
        if let name {
            guard let found = all.first(where: { $0.name == name }) else {
                throw ReplicationError.noSuchSubscription(name)
            }
            chosen = found
        } else {
            guard let only = all.first else {
                throw ReplicationError.noSubscription
            }
            guard all.count == 1 else {
                throw ReplicationError.severalSubscriptions(all.map(\.name))
            }
            chosen = only
        }
        let quoted = try connection.query("SELECT quote_ident($1)", [chosen.name]).scalar ?? ""
        if forgetSlot {
            try connection.execute("ALTER SUBSCRIPTION \(quoted) DISABLE")
            try connection.execute("ALTER SUBSCRIPTION \(quoted) SET (slot_name = NONE)")
        }
        do {
            try connection.execute("DROP SUBSCRIPTION \(quoted)")
        } catch let error as PostgresError {
            throw ReplicationError.dropRefused(subscription: chosen.name, reason: error.message)
        }
        if try subscriptions(on: connection).isEmpty {
            try connection.transaction {
                try ReplicaTriggers.fireForLocalRowsOnly(on: connection)
                // Sequences are not replicated: local inserts must not reuse a copied id.
                let tables = (try? Tables.detect(on: connection)) ?? .prd
                for table in [tables.role, tables.persona] {
                    try connection.query("""
                        SELECT setval(pg_get_serial_sequence($1, 'id'), max(id)) FROM \(table) HAVING max(id) IS NOT NULL
                        """, [table])
                }
            }
        }
        return chosen.name
    }
}
