import RegistryCore
/// `replica status`: the publication and its slots (on the primary), the
/// subscriptions (on a host), each judged healthy, lagging or inactive.
public struct ReplicaStatus: Encodable, Sendable {
    public enum State: String, Encodable, Sendable, Comparable {
        case healthy
        case lagging
        case inactive

        public static func < (lhs: State, rhs: State) -> Bool {
            let order: [State] = [.healthy, .lagging, .inactive]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// When a slot or subscription counts as lagging (`replica status --max-lag-*`).
    struct Limits {
        var lagBytes: Int64
        var lagSeconds: Double

        /// Whether a lag passes either limit (one not measured, `nil`, passes none).
        func exceeded(bytes: Int64?, seconds: Double?) -> Bool {
            (bytes ?? 0) > lagBytes || (seconds ?? 0) > lagSeconds
        }
    }

    /// A replication slot of ours on the publisher (one per subscribed host).
    public struct Slot: Encodable, Sendable {
        public var name: String
        public var active: Bool
        /// pg_replication_slots.wal_status: reserved, extended, unreserved or lost.
        public var walStatus: String?
        /// WAL the slot keeps on the publisher's disk (from its restart_lsn).
        public var retainedBytes: Int64?
        /// WAL not yet confirmed by the subscriber.
        public var lagBytes: Int64?
        /// The subscriber's replay lag as the publisher measured it, when connected.
        public var lagSeconds: Double?
        public var state: State

        enum CodingKeys: String, CodingKey {
            case name, active, state
            case walStatus = "wal_status", retainedBytes = "retained_bytes", lagBytes = "lag_bytes", lagSeconds = "lag_seconds"
        }
    }

    public struct Publication: Encodable, Sendable {
        public var name: String
        public var tables: [String]
        public var slots: [Slot]
    }

    public struct Subscription: Encodable, Sendable {
        public var name: String
        public var publisher: String?
        public var enabled: Bool
        public var workerRunning: Bool
        public var tables: Int
        public var tablesReady: Int
        /// WAL received but not yet reported applied to the publisher.
        public var lagBytes: Int64?
        /// Seconds since the last message from the publisher (data or keepalive).
        public var lagSeconds: Double?
        public var state: State

        enum CodingKeys: String, CodingKey {
            case name, publisher, enabled, tables, state
            case workerRunning = "worker_running", tablesReady = "tables_ready"
            case lagBytes = "lag_bytes", lagSeconds = "lag_seconds"
        }
    }

    public var formatVersion = 1
    public var publication: Publication?
    public var subscriptions: [Subscription]

    /// The worst state of all; nil when this database neither publishes nor subscribes.
    public var state: State? {
        let states = (publication?.slots.map(\.state) ?? []) + subscriptions.map(\.state)
        if publication == nil && subscriptions.isEmpty { return nil }
        return states.max() ?? .healthy
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", publication, subscriptions, state
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encode(publication, forKey: .publication)
        try container.encode(subscriptions, forKey: .subscriptions)
        try container.encode(state, forKey: .state)
    }

    /// Reads both sides' catalogues and statistics on this database; a slot or
    /// subscription whose lag passes `maxLagBytes` or `maxLagSeconds` is lagging.
    public static func read(on connection: PostgresConnection, maxLagBytes: Int64, maxLagSeconds: Double) throws -> ReplicaStatus {
        let limits = Limits(lagBytes: maxLagBytes, lagSeconds: maxLagSeconds)
        return ReplicaStatus(publication: try readPublication(on: connection, limits: limits),
                             subscriptions: try readSubscriptions(on: connection, limits: limits))
    }

    static func readPublication(on connection: PostgresConnection, limits: Limits) throws -> Publication? {
        guard try connection.query("SELECT 1 FROM pg_publication WHERE pubname = $1",
                                   [Replication.publication]).rows.count == 1 else { return nil }
        let tables = try connection.query(
            "SELECT tablename FROM pg_publication_tables WHERE pubname = $1 ORDER BY 1",
            [Replication.publication]).rows.compactMap { $0[0] }
        let slots = try connection.query("""
            SELECT s.slot_name, s.active, s.wal_status,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn)::bigint,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint,
                   extract(epoch FROM r.replay_lag)::float8
            FROM pg_replication_slots s
            LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
            WHERE s.slot_type = 'logical' AND s.database = current_database()
              AND starts_with(s.slot_name, $1)
            ORDER BY s.slot_name
            """, [Replication.subscriptionPrefix]).rows.map { row in
            let active = row[1] == "t"
            let lagBytes = row[4].flatMap { Int64($0) }
            let lagSeconds = row[5].flatMap { Double($0) }
            let lagging = limits.exceeded(bytes: lagBytes, seconds: lagSeconds) || row[2] == "lost"
            return Slot(name: row[0] ?? "", active: active, walStatus: row[2], retainedBytes: row[3].flatMap { Int64($0) },
                        lagBytes: lagBytes, lagSeconds: lagSeconds,
                        state: !active ? .inactive : lagging ? .lagging : .healthy)
        }
        return Publication(name: Replication.publication, tables: tables, slots: slots)
    }

    static func readSubscriptions(on connection: PostgresConnection, limits: Limits) throws -> [Subscription] {
        try connection.query("""
            SELECT s.subname, obj_description(s.oid, 'pg_subscription'), s.subenabled, w.pid IS NOT NULL,
                   (SELECT count(*) FROM pg_subscription_rel r WHERE r.srsubid = s.oid),
                   (SELECT count(*) FROM pg_subscription_rel r WHERE r.srsubid = s.oid AND r.srsubstate IN ('r', 's')),
                   pg_wal_lsn_diff(w.received_lsn, w.latest_end_lsn)::bigint,
                   extract(epoch FROM now() - w.last_msg_receipt_time)::float8
            FROM pg_subscription s
            LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL
            WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND $1 = ANY (s.subpublications)
            ORDER BY s.subname
            """, [Replication.publication]).rows.map { row in
            let enabled = row[2] == "t", running = row[3] == "t"
            let tables = Int(row[4] ?? "") ?? 0, ready = Int(row[5] ?? "") ?? 0
            let lagBytes = row[6].flatMap { Int64($0) }
            let lagSeconds = row[7].flatMap { Double($0) }
            let state: State
            if !enabled || !running {
                state = .inactive
            } else if ready < tables || limits.exceeded(bytes: lagBytes, seconds: lagSeconds) {
                state = .lagging
            } else {
                state = .healthy
            }
            return Subscription(name: row[0] ?? "", publisher: row[1], enabled: enabled, workerRunning: running,
                                tables: tables, tablesReady: ready, lagBytes: lagBytes, lagSeconds: lagSeconds,
                                state: state)
        }
    }
}
