import RegistryCore
import RegistryDatabase
/// `replica status` output: a text summary with a table per side, or JSON.
extension ReplicaStatus {
    func json() throws -> String {
        try JSONOutput.render(self) + "\n"
    }

    func text() -> String {
        var lines: [String] = []
        if let publication {
            lines.append("publication \(publication.name): \(Escaping.escaped(publication.tables.joined(separator: ", ")))")
            if publication.slots.isEmpty {
                lines.append("no replication slots of subscribers (\(Replication.subscriptionPrefix)*)")
            } else {
                let rows = publication.slots.map { slot in
                    [slot.name, slot.active ? "yes" : "no", slot.walStatus ?? "-",
                     Self.bytes(slot.retainedBytes), Self.bytes(slot.lagBytes), Self.seconds(slot.lagSeconds),
                     slot.state.rawValue]
                }
                lines.append(TextTable(header: ["SLOT", "ACTIVE", "WAL STATUS", "RETAINED WAL", "LAG BYTES",
                                                "LAG SECONDS", "STATE"], rows: rows).render())
            }
        }
        if !subscriptions.isEmpty {
            if !lines.isEmpty { lines.append("") }
            let rows = subscriptions.map { subscription in
                // Names from the catalogue: TextTable escapes every cell.
                [subscription.name, subscription.publisher ?? "-",
                 subscription.enabled ? "yes" : "no", subscription.workerRunning ? "yes" : "no",
                 "\(subscription.tablesReady)/\(subscription.tables)", Self.bytes(subscription.lagBytes),
                 Self.seconds(subscription.lagSeconds), subscription.state.rawValue]
            }
            lines.append(TextTable(header: ["SUBSCRIPTION", "PUBLISHER", "ENABLED", "WORKER", "TABLES READY",
                                            "LAG BYTES", "LAST MESSAGE (S)", "STATE"], rows: rows).render())
        }
        if let state { lines.append("replication: \(state.rawValue)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func bytes(_ value: Int64?) -> String { value.map(String.init) ?? "-" }
    static func seconds(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(Double((value * 10).rounded()) / 10)
    }
}
