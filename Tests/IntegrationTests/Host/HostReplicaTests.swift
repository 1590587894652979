import Foundation
import Testing
import TestSupport

@Suite("the headspace layout: a host on a logical replica")
struct HostReplicaTests: DaemonFixture {
    @Test("publish, subscribe and serve work on the host's tables as on the registry's own")
    func replicaOfTheHostsTables() throws {
        let pair = try ReplicaPair(seed: "INSERT INTO roles (name) VALUES ('developer'); INSERT INTO personas (name, role_id) VALUES ('Con', 1);",
                                   migrate: ["--layout", "headspace"])
        #expect(pair.subscribed.stdout.contains("1 roles, 1 personas copied"), "\(pair.subscribed.stdout)")
        let triggers = try pair.notifyTriggers(on: pair.subscriber.url, tables: ["roles", "personas"])
        #expect(triggers.count == 3 && triggers.values.allSatisfy { $0 == "A" }, "\(triggers)")
        let tree = try TemporaryTree()
        let daemon = try Self.started(url: pair.subscriber.url, tree)
        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") }, "\(daemon.log)")
        try pair.onPublisher("INSERT INTO personas (name, role_id) VALUES ('Zoë', 1)")
        #expect(waitUntil { tree.exists("developer-zo-2/identity.yaml") }, "insert: \(daemon.log)")
        let drift = try pair.run(["drift", "--data-dir", tree.tree], on: pair.subscriber.url)
        #expect(drift.status == 0, "\(drift.stdout)\(drift.stderr)")
        let refused = try pair.run(["persona", "add", "--role", "developer", "--name", "Verner"], on: pair.subscriber.url)
        #expect(refused.status == 1 && refused.stderr.contains("logical replica"), "\(refused.stderr)")
    }
}
