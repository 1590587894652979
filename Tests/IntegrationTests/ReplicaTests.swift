import Foundation
import RegistryCore
import RegistryDatabase
import RegistrySystem
import Testing
import TestSupport

@Suite("replica: a host on a logical replica of the primary")
struct ReplicaTests: DaemonFixture {
    static let seed = TestDatabase.insertingRole("developer", personas: ["Con"])

    @Test("the subscriber host's tree follows inserts, updates, role renames, archive and delete on the primary")
    func treeFollowsPrimary() throws {
        let pair = try ReplicaPair(seed: Self.seed)
        #expect(pair.subscribed.stdout.contains("1 roles, 1 personas copied"), "\(pair.subscribed.stdout)")
        #expect(try pair.notifyTriggers(on: pair.subscriber.url).values.allSatisfy { $0 == "A" })
        #expect(try pair.notifyTriggers(on: pair.publisher.url).values.allSatisfy { $0 == "O" })
        let tree = try TemporaryTree()
        let daemon = try Self.started(url: pair.subscriber.url, tree)
        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") }, "\(daemon.log)")

        try pair.onPublisher("INSERT INTO persona (name, role_id, description) VALUES ('Robbo', 1, 'architect')")
        #expect(waitUntil { tree.exists("developer-robbo-2/identity.yaml") }, "insert: \(daemon.log)")
        try pair.onPublisher("UPDATE persona SET description = 'Backend work' WHERE id = 1")
        #expect(waitUntil { (try? tree.read("developer-con-1/identity.yaml"))?.contains("description: Backend work") == true },
                "update: \(daemon.log)")
        try pair.onPublisher("UPDATE role SET name = 'engineer' WHERE id = 1")
        #expect(waitUntil {
            ["developer-con-1", "developer-robbo-2"].allSatisfy {
                (try? tree.read($0 + "/identity.yaml"))?.contains("role: engineer") == true
            }
        }, "role rename: \(daemon.log)")
        try pair.onPublisher("UPDATE persona SET status = 'archived' WHERE id = 2")
        #expect(waitUntil { (try? tree.read("developer-robbo-2/identity.yaml"))?.contains("status: archived") == true },
                "archive: \(daemon.log)")
        let clean = try pair.run(["drift", "--data-dir", tree.tree], on: pair.subscriber.url)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")

        try pair.onPublisher("DELETE FROM persona WHERE id = 2")
        #expect(daemon.waitFor(.finding, with: "kind=orphan_directory"), "delete: \(daemon.log)")
        #expect(tree.exists("developer-robbo-2/identity.yaml"), "a delete never deletes files")
        let drift = try pair.run(["drift", "--data-dir", tree.tree, "--format", "porcelain"], on: pair.subscriber.url)
        #expect(drift.status == 2)
        #expect(drift.stdout.hasPrefix("orphan_directory\tdeveloper-robbo-2"), "\(drift.stdout)")
        // Every change arrived by notification: the periodic sweep (600 s) never ran.
        #expect(daemon.lines(.sweepFinished).count == 1, "\(daemon.log)")
        #expect(daemon.process.isRunning)
    }

    @Test("on a subscriber, role add, persona add, archive and activate refuse in one line naming the publisher; reads and reconcile work")
    func writesRefused() throws {
        let pair = try ReplicaPair(seed: Self.seed)
        let writes: [[String]] = [
            ["role", "add", "tester"],
            ["persona", "add", "--role", "developer", "--name", "Verner"],
            ["persona", "archive", "developer-con-1"],
            ["persona", "activate", "developer-con-1"],
        ]
        for arguments in writes {
            let run = try pair.run(arguments, on: pair.subscriber.url)
            #expect(run.status == 1, "\(arguments): \(run.stdout)")
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(arguments): one line: \(run.stderr)")
            #expect(run.stderr.contains("logical replica of \"\(pair.publisher.url)\""), "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(pair.subscription), "\(run.stderr)")
        }
        let counts = try pair.subscriberQuery("SELECT (SELECT count(*) FROM role), (SELECT count(*) FROM persona WHERE status = 'active')")
        #expect(counts.rows[0] == ["1", "1"], "nothing changed on the subscriber")
        for arguments in [["role", "list"], ["persona", "list"]] {
            let run = try pair.run(arguments, on: pair.subscriber.url)
            #expect(run.status == 0 && run.stdout.contains("developer"), "\(arguments): \(run.stderr)")
        }
        let tree = try TemporaryTree()
        let reconciled = try pair.run(["reconcile", "--data-dir", tree.tree, "--templates-dir", tree.templates],
                                      on: pair.subscriber.url)
        #expect(reconciled.status == 0 && tree.exists("developer-con-1/identity.yaml"), "\(reconciled.stdout)\(reconciled.stderr)")
        // The primary takes writes as before.
        let onPrimary = try pair.run(["role", "add", "tester"], on: pair.publisher.url)
        #expect(onPrimary.status == 0, "\(onPrimary.stderr)")
    }

    @Test("while the primary is down the subscriber's daemon keeps serving and drift answers; it catches up when it returns")
    func primaryDown() throws {
        let pair = try ReplicaPair(seed: Self.seed)
        let tree = try TemporaryTree()
        let daemon = try Self.started(url: pair.subscriber.url, tree)
        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") }, "\(daemon.log)")

        try pair.publisher.stop()
        // A persona directory removed by accident is made again from the local tables.
        try FileManager.default.removeItem(atPath: tree.path("developer-con-1"))
        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") }, "served while the primary is down: \(daemon.log)")
        let drift = try pair.run(["drift", "--data-dir", tree.tree], on: pair.subscriber.url)
        #expect(drift.status == 0, "\(drift.stdout)\(drift.stderr)")
        let status = try pair.run(["replica", "status"], on: pair.subscriber.url)
        #expect(status.status == 2, "the subscription has no worker: \(status.stdout)\(status.stderr)")

        try pair.publisher.start()
        try pair.onPublisher("INSERT INTO persona (name, role_id) SELECT 'after' || g, 1 FROM generate_series(1, 50) AS g")
        #expect(waitUntil(timeout: 90) { (2...51).allSatisfy { tree.exists("developer-after\($0 - 1)-\($0)/identity.yaml") } },
                "caught up: \(daemon.log)")
        #expect(waitUntil(timeout: 60) { (try? pair.run(["replica", "status"], on: pair.subscriber.url))?.status == 0 })
        #expect(daemon.lines(.connectionLost).isEmpty, "the daemon's database never went away")
        #expect(daemon.process.isRunning)
    }
}
