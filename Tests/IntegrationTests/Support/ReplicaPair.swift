import Foundation
import RegistryCore
import RegistryDatabase
import RegistrySystem
import Testing

/// A primary with `wal_level = logical` and a host's own cluster subscribed
/// to it through the built binary (`replica publish`, `replica subscribe`),
/// both migrated; stopped and removed when the value goes away.
final class ReplicaPair: @unchecked Sendable {
    let publisher: ThrowawayCluster
    let subscriber: ThrowawayCluster
    let subscription = "persona_registry_test_host"
    /// What `replica subscribe` printed.
    let subscribed: RunResult

    /// `seed` is SQL run on the primary before the subscription (copied initially); both sides
    /// are migrated with `migrate` (e.g. `--layout headspace`) added to `migrate up`.
    init(seed: String = "", migrate: [String] = []) throws {
        publisher = try ThrowawayCluster(options: "-c wal_level=logical")
        subscriber = try ThrowawayCluster()
        for url in [publisher.url, subscriber.url] {
            let migrated = try BinaryRunner.run(["migrate", "up", "--database-url", url] + migrate)
            try #require(migrated.status == 0, "\(migrated.stderr)")
        }
        if !seed.isEmpty { try PostgresConnection(url: publisher.url).execute(seed) }
        let published = try BinaryRunner.run(["replica", "publish", "--database-url", publisher.url])
        try #require(published.status == 0, "\(published.stderr)")
        subscribed = try BinaryRunner.run(["replica", "subscribe", "--database-url", subscriber.url,
                                           "--publisher", publisher.url, "--name", subscription, "--timeout", "120"])
        try #require(subscribed.status == 0, "\(subscribed.stderr)")
    }

    func onPublisher(_ sql: String) throws { try PostgresConnection(url: publisher.url).execute(sql) }

    func subscriberQuery(_ sql: String) throws -> QueryResult { try PostgresConnection(url: subscriber.url).query(sql) }

    /// The built binary against one side.
    func run(_ arguments: [String], on url: String) throws -> RunResult {
        try BinaryRunner.run(arguments + ["--database-url", url])
    }

    /// Each notify trigger on `tables` with its pg_trigger.tgenabled (A: always, O: origin only).
    func notifyTriggers(on url: String, tables: [String] = ["role", "persona"]) throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try PostgresConnection(url: url).query("""
            SELECT tgname, tgenabled FROM pg_trigger
            WHERE tgrelid IN (to_regclass($1), to_regclass($2)) AND tgname LIKE 'persona\\_registry\\_notify%'
            """, [tables[0], tables[1]]).rows {
            result[row[0]!] = row[1]!
        }
        return result
    }
}
