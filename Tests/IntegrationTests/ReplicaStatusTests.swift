import Foundation
import RegistryCore
import RegistryDatabase
import RegistrySystem
import Testing
import TestSupport

@Suite("replica: publish, status, migrations on both sides, unsubscribe")
struct ReplicaStatusTests {
    func json(_ run: RunResult) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any] ?? [:]
    }

    @Test("replica status exits 0 healthy, 2 for a disabled subscription and for an abandoned slot, 1 when neither side")
    func statusExitCodes() throws {
        let pair = try ReplicaPair(seed: "INSERT INTO role (name) VALUES ('developer')")
        let status = { (url: String) in try pair.run(["replica", "status", "--format", "json"], on: url) }
        #expect(waitUntil(timeout: 60) { (try? status(pair.publisher.url))?.status == 0 })
        let healthy = try status(pair.publisher.url)
        let slots = (json(healthy)["publication"] as? [String: Any])?["slots"] as? [[String: Any]] ?? []
        #expect(slots.count == 1 && slots.first?["name"] as? String == pair.subscription, "\(healthy.stdout)")
        #expect(slots.first?["active"] as? Bool == true && slots.first?["retained_bytes"] is Int)
        #expect(json(healthy)["state"] as? String == "healthy")
        let onHost = try pair.run(["replica", "status"], on: pair.subscriber.url)
        #expect(onHost.status == 0, "\(onHost.stdout)\(onHost.stderr)")
        #expect(onHost.stdout.contains(pair.subscription) && onHost.stdout.contains("2/2"), "\(onHost.stdout)")

        // Lagging: the subscription disabled, its slot unused.
        _ = try pair.subscriberQuery("ALTER SUBSCRIPTION \(pair.subscription) DISABLE")
        let disabled = try status(pair.subscriber.url)
        #expect(disabled.status == 2, "\(disabled.stdout)")
        #expect((json(disabled)["subscriptions"] as? [[String: Any]])?.first?["state"] as? String == "inactive")
        #expect(waitUntil(timeout: 60) { (try? status(pair.publisher.url))?.status == 2 }, "the slot goes inactive")
        _ = try pair.subscriberQuery("ALTER SUBSCRIPTION \(pair.subscription) ENABLE")
        #expect(waitUntil(timeout: 60) { (try? status(pair.publisher.url))?.status == 0 })

        // Abandoned: a slot of ours nobody uses holds WAL back.
        try pair.onPublisher("SELECT pg_create_logical_replication_slot('persona_registry_gone_host', 'pgoutput')")
        try pair.onPublisher("INSERT INTO persona (name, role_id) SELECT 'p' || g, 1 FROM generate_series(1, 500) AS g")
        let abandoned = try pair.run(["replica", "status"], on: pair.publisher.url)
        #expect(abandoned.status == 2, "\(abandoned.stdout)")
        let line = abandoned.stdout.split(separator: "\n").first { $0.hasPrefix("persona_registry_gone_host") } ?? ""
        #expect(line.contains(" no ") && line.hasSuffix("inactive"), "\(abandoned.stdout)")
        let retained = (json(try status(pair.publisher.url))["publication"] as? [String: Any])
            .flatMap { $0["slots"] as? [[String: Any]] }?.first { $0["name"] as? String == "persona_registry_gone_host" }?["retained_bytes"] as? Int
        #expect((retained ?? 0) > 0, "the abandoned slot retains WAL")
        // The remedy docs/many-hosts.md gives.
        try pair.onPublisher("SELECT pg_drop_replication_slot('persona_registry_gone_host')")
        #expect(waitUntil(timeout: 60) { (try? status(pair.publisher.url))?.status == 0 })

        let plain = try TestDatabase()
        let neither = try BinaryRunner.run(["replica", "status", "--database-url", plain.url])
        #expect(neither.status == 1 && neither.stderr.contains("neither publishes nor subscribes"), "\(neither.stderr)")
    }

    @Test("replica publish on a server with wal_level replica names the exact change and creates nothing")
    func publishNeedsLogical() throws {
        let database = try TestDatabase()
        #expect(try database.query("SHOW wal_level").scalar == "replica")
        let run = try BinaryRunner.run(["replica", "publish", "--database-url", database.url])
        #expect(run.status == 1)
        #expect(run.stderr.contains(
            "wal_level is replica, logical replication needs logical: run ALTER SYSTEM SET wal_level = logical; on this server and restart PostgreSQL"),
            "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(try database.query("SELECT count(*) FROM pg_publication").scalar == "0")
    }

    @Test("migrate up, down and status work on both sides; a later migration keeps the subscriber's triggers firing; unsubscribe restores them")
    func migrationsOnBothSides() throws {
        let pair = try ReplicaPair(seed: "INSERT INTO role (name) VALUES ('developer')")
        // A later migration that makes a notify trigger again (as a new version of it would).
        let scratch = try TemporaryTree(createTree: false)
        let directory = scratch.base + "/migrations"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: Repository.migrations) where file.hasSuffix(".sql") {
            try FileManager.default.copyItem(atPath: Repository.migrations + "/" + file, toPath: directory + "/" + file)
        }
        let remake = """
            DROP TRIGGER persona_registry_notify ON persona;
            CREATE TRIGGER persona_registry_notify AFTER INSERT OR UPDATE OR DELETE ON persona
                FOR EACH ROW EXECUTE FUNCTION persona_registry_notify();
            """
        try ("-- migrate:up\n" + remake + "\n-- migrate:down\n" + remake + "\n")
            .write(toFile: directory + "/9000_remake_notify.sql", atomically: true, encoding: .utf8)

        for url in [pair.publisher.url, pair.subscriber.url] {
            let pending = try pair.run(["migrate", "status", "--migrations-dir", directory], on: url)
            #expect(pending.status == 2 && pending.stdout.contains("pending"), "\(pending.stdout)")
            let up = try pair.run(["migrate", "up", "--migrations-dir", directory], on: url)
            #expect(up.status == 0 && up.stdout.contains("Applied 9000_remake_notify.sql"), "\(up.stdout)\(up.stderr)")
            let status = try pair.run(["migrate", "status", "--migrations-dir", directory], on: url)
            #expect(status.status == 0, "\(status.stdout)")
        }
        #expect(try pair.notifyTriggers(on: pair.subscriber.url).values.allSatisfy { $0 == "A" })
        #expect(try pair.notifyTriggers(on: pair.publisher.url).values.allSatisfy { $0 == "O" })
        // And they fire for a replicated row.
        let listener = try PostgresConnection(url: pair.subscriber.url)
        try listener.execute("LISTEN persona_registry")
        try pair.onPublisher("INSERT INTO persona (name, role_id) VALUES ('Con', 1)")
        var heard: [PostgresNotification] = []
        #expect(try waitUntil(timeout: 60) {
            try listener.consumeInput()
            heard += listener.drainNotifications()
            return heard.contains { $0.payload.contains("\"insert\"") }
        }, "a replicated insert notifies on the subscriber")

        let down = try pair.run(["migrate", "down", "--migrations-dir", directory], on: pair.subscriber.url)
        #expect(down.status == 0 && down.stdout.contains("Reverted 9000_remake_notify.sql"), "\(down.stderr)")
        #expect(try pair.notifyTriggers(on: pair.subscriber.url).values.allSatisfy { $0 == "A" })

        let unsubscribed = try pair.run(["replica", "unsubscribe"], on: pair.subscriber.url)
        #expect(unsubscribed.status == 0, "\(unsubscribed.stderr)")
        #expect(try pair.notifyTriggers(on: pair.subscriber.url).values.allSatisfy { $0 == "O" })
        #expect(try PostgresConnection(url: pair.publisher.url)
            .query("SELECT count(*) FROM pg_replication_slots WHERE slot_name = $1", [pair.subscription]).scalar == "0")
        let added = try pair.run(["role", "add", "tester"], on: pair.subscriber.url)
        #expect(added.status == 0, "writes work again once unsubscribed: \(added.stderr)")
    }

    @Test("unsubscribe with the primary down fails in one line naming --forget-slot; with it the slot is left behind, inactive, for the primary's operator to drop")
    func unsubscribeWithPrimaryDown() throws {
        let pair = try ReplicaPair()
        try pair.publisher.stop()
        let refused = try pair.run(["replica", "unsubscribe"], on: pair.subscriber.url)
        #expect(refused.status == 1 && refused.stderr.contains("--forget-slot"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        let forgot = try pair.run(["replica", "unsubscribe", "--forget-slot"], on: pair.subscriber.url)
        #expect(forgot.status == 0 && forgot.stdout.contains("pg_drop_replication_slot('\(pair.subscription)')"),
                "\(forgot.stdout)\(forgot.stderr)")
        #expect(try pair.notifyTriggers(on: pair.subscriber.url).values.allSatisfy { $0 == "O" })

        try pair.publisher.start()
        let abandoned = try pair.run(["replica", "status"], on: pair.publisher.url)
        #expect(abandoned.status == 2 && abandoned.stdout.contains(pair.subscription), "\(abandoned.stdout)")
        try pair.onPublisher("SELECT pg_drop_replication_slot('\(pair.subscription)')")
        #expect(try pair.run(["replica", "status"], on: pair.publisher.url).status == 0)
    }
}
