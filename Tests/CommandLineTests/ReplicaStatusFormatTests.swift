import Testing
@testable import RegistryCore
@testable import RegistryDatabase
@testable import RegistrySystem
@testable import persona_registry

@Suite("replica status: judgement and output")
struct ReplicaStatusFormatTests {
    func slot(_ name: String, _ state: ReplicaStatus.State, active: Bool = true) -> ReplicaStatus.Slot {
        ReplicaStatus.Slot(name: name, active: active, walStatus: "reserved", retainedBytes: 4096, lagBytes: 0,
                           lagSeconds: nil, state: state)
    }

    @Test("the overall state is the worst of all; nothing on either side is no state at all")
    func worstState() {
        let publication = ReplicaStatus.Publication(name: "persona_registry", tables: ["persona", "role"],
                                                    slots: [slot("persona_registry_a", .healthy),
                                                            slot("persona_registry_b", .inactive, active: false)])
        #expect(ReplicaStatus(publication: publication, subscriptions: []).state == .inactive)
        let empty = ReplicaStatus.Publication(name: "persona_registry", tables: [], slots: [])
        #expect(ReplicaStatus(publication: empty, subscriptions: []).state == .healthy)
        #expect(ReplicaStatus(publication: nil, subscriptions: []).state == nil)
    }

    @Test("text escapes control characters in names from the catalogue; json uses snake_case keys")
    func output() throws {
        let subscription = ReplicaStatus.Subscription(
            name: "persona_registry_x\nforged", publisher: "postgresql://u:***@h/db", enabled: true, workerRunning: true,
            tables: 2, tablesReady: 2, lagBytes: 0, lagSeconds: 0.25, state: .healthy)
        let status = ReplicaStatus(publication: nil, subscriptions: [subscription])
        let text = status.text()
        #expect(text.contains("persona_registry_x\\nforged"))
        #expect(text.split(separator: "\n").count == 3, "\(text)")
        #expect(text.hasSuffix("replication: healthy\n"))
        let json = try status.json()
        for key in ["\"format_version\" : 1", "\"worker_running\" : true", "\"tables_ready\" : 2", "\"lag_seconds\" : 0.25",
                    "\"publication\" : null", "\"state\" : \"healthy\""] {
            #expect(json.contains(key), "\(key) in \(json)")
        }
    }

    @Test("subscription names: our prefix, then a slot name's alphabet", arguments: [
        ("persona_registry_host1", true), ("persona_registry_a_b_9", true), ("persona_registry_", false),
        ("persona_registry", false), ("other_host", false), ("persona_registry_Host", false),
        ("persona_registry_h-1", false), ("persona_registry_" + String(repeating: "x", count: 47), false),
    ])
    func names(name: String, valid: Bool) {
        let accepted = (try? Replication.validateSubscriptionName(name)) != nil
        #expect(accepted == valid)
    }

    @Test("the default subscription name is valid")
    func defaultName() throws {
        try Replication.validateSubscriptionName(Replication.defaultSubscriptionName())
    }
}
